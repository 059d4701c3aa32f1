package io.meshlog.proxy.bootstrap;

import io.meshlog.proxy.config.ConfigException;
import io.meshlog.proxy.config.ProxyConfig;
import io.meshlog.proxy.config.TelemetryMode;
import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.proxy.telemetry.KafkaTelemetryConfig;
import java.util.List;

/**
 * A proxy's whole setup read from one file, without Kafka or Hazelcast: like Envoy's static
 * resources.
 *
 * @param proxy listeners and identity
 * @param endpoints the fixed endpoints of every service
 * @param policies VirtualService, DestinationRule and RateLimitPolicy documents, as on the topic
 * @param tracingSamplingPercentage the share of new traces recorded with OpenTelemetry, 0–100, or
 *     a negative number for tracing off (ids are still made and propagated)
 * @param kafkaTelemetry where telemetry goes when the sink is {@link TelemetryMode#KAFKA}, else null
 */
public record StaticBootstrap(ProxyConfig proxy, List<Endpoint> endpoints, List<PolicyEvent> policies,
        double tracingSamplingPercentage, KafkaTelemetryConfig kafkaTelemetry) {
    public StaticBootstrap {
        ConfigException.require(proxy != null, "proxy", "must be set");
        ConfigException.require((proxy.telemetry() == TelemetryMode.KAFKA) == (kafkaTelemetry != null),
                "telemetry", "a Kafka sink needs its settings, and only a Kafka sink has them");
        endpoints = List.copyOf(endpoints);
        policies = List.copyOf(policies);
        ConfigException.require(tracingSamplingPercentage <= 100, "tracing.samplingPercentage",
                "must be between 0 and 100, but was " + tracingSamplingPercentage);
    }

    /** The same setup with other proxy settings (e.g. an event-loop count from the environment). */
    public StaticBootstrap withProxy(ProxyConfig other) {
        return new StaticBootstrap(other, endpoints, policies, tracingSamplingPercentage, kafkaTelemetry);
    }
}
