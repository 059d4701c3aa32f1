package io.meshlog.proxy.observability;

import io.meshlog.proxy.tracing.TraceSettings;

/**
 * The Telemetry policies in force for this workload, merged (root namespace, then namespace, then
 * workload selector): tracing, request metrics and the access log. Telemetry to Kafka is not part of
 * it: that is meshlog's data plane contract and stays on.
 *
 * @param tracing sampling and custom tags of spans
 * @param metrics which request metrics are recorded and with which labels
 * @param accessLog whether each request is written to the access log
 */
public record TelemetryPolicy(TraceSettings tracing, MetricsPolicy metrics, boolean accessLog) {
    /** No Telemetry policy: the proxy's own tracing, every metric, no access log (Istio's default profile). */
    public static final TelemetryPolicy DEFAULT = new TelemetryPolicy(TraceSettings.DEFAULT, MetricsPolicy.DEFAULT, false);
}
