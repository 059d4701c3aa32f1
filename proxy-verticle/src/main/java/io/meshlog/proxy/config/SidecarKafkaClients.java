package io.meshlog.proxy.config;

import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka client settings every client inside a sidecar starts from. A sidecar runs next to every
 * workload, so what a Kafka client loads and keeps for features nobody uses there is paid once per
 * pod: the JMX reporter (an MBean server and ~230 {@code javax.management} classes, read by no one:
 * the proxy's own metrics go to {@code /metrics}) and KIP-714's push of client metrics to the broker
 * (a shaded protobuf and OpenTelemetry stack, ~70 classes, plus a subscription request to every broker).
 * A setting the user gave in the client's {@code kafka} map wins.
 */
public final class SidecarKafkaClients {
    /** Kafka's key for the metrics reporters; empty turns the default JMX reporter off. */
    public static final String METRIC_REPORTERS = "metric.reporters";
    /** Kafka's key for KIP-714 client-metrics push. */
    public static final String METRICS_PUSH = "enable.metrics.push";

    private SidecarKafkaClients() {}

    /** {@code kafka} with the sidecar's defaults added where it has no setting of its own: a new, mutable map. */
    public static Map<String, Object> settings(Map<String, ?> kafka) {
        var settings = new HashMap<String, Object>(kafka);
        settings.putIfAbsent(METRIC_REPORTERS, "");
        settings.putIfAbsent(METRICS_PUSH, false);
        return settings;
    }
}
