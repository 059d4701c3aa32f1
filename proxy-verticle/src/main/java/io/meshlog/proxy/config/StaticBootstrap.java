package io.meshlog.proxy.config;

import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.schemas.v1.PolicyEvent;
import java.util.List;

/**
 * A proxy's whole setup read from one file, without Kafka or Hazelcast: like Envoy's static
 * resources.
 *
 * @param proxy listeners and identity
 * @param endpoints the fixed endpoints of every service
 * @param policies VirtualService, DestinationRule and RateLimitPolicy documents, as on the topic
 */
public record StaticBootstrap(ProxyConfig proxy, List<Endpoint> endpoints, List<PolicyEvent> policies) {
    public StaticBootstrap {
        ConfigException.require(proxy != null, "proxy", "must be set");
        endpoints = List.copyOf(endpoints);
        policies = List.copyOf(policies);
    }
}
