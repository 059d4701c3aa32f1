package io.meshlog.proxy.config;

import java.util.Map;
import java.util.Objects;

/**
 * Everything a proxy needs to start its listeners.
 *
 * @param proxyId this proxy's id (telemetry, ConfigAck)
 * @param workload the workload it stands beside, e.g. {@code frontend-v1} (source_workload)
 * @param namespace the workload's namespace
 * @param labels the workload's labels (policy selectors match on them)
 * @param outbound the outbound listener, or null for none
 * @param inbound the inbound listener, or null for none
 * @param admin the admin listener, or null for none
 * @param telemetry where telemetry goes in static mode
 * @param maxRequestBytes the largest request body the proxy accepts (it holds bodies whole so that
 *     retries can resend them); larger ones get 413
 * @param http what the HTTP/1.1 listeners accept (header count and size, URI, chunk size,
 *     header-read timeout)
 */
public record ProxyConfig(
        String proxyId, String workload, String namespace, Map<String, String> labels,
        ListenerConfig outbound, InboundListenerConfig inbound, ListenerConfig admin,
        TelemetryMode telemetry, long maxRequestBytes, HttpLimits http) {
    public static final String DEFAULT_NAMESPACE = "default";
    /** 4 MiB: Envoy buffers 1 MiB per connection by default; a 64 MB heap holds a dozen of these. */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 4L * 1024 * 1024;

    /** With the default body limit. */
    public ProxyConfig(String proxyId, String workload, String namespace, Map<String, String> labels,
            ListenerConfig outbound, InboundListenerConfig inbound, ListenerConfig admin, TelemetryMode telemetry) {
        this(proxyId, workload, namespace, labels, outbound, inbound, admin, telemetry, DEFAULT_MAX_REQUEST_BYTES);
    }

    /** With the default HTTP limits. */
    public ProxyConfig(String proxyId, String workload, String namespace, Map<String, String> labels,
            ListenerConfig outbound, InboundListenerConfig inbound, ListenerConfig admin, TelemetryMode telemetry,
            long maxRequestBytes) {
        this(proxyId, workload, namespace, labels, outbound, inbound, admin, telemetry, maxRequestBytes,
                HttpLimits.DEFAULTS);
    }

    public ProxyConfig {
        ConfigException.require(proxyId != null && !proxyId.isBlank(), "proxy.id", "must be set");
        ConfigException.require(workload != null && !workload.isBlank(), "proxy.workload", "must be set");
        namespace = namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        ConfigException.require(outbound != null || inbound != null, "listeners",
                "needs at least one of outbound or inbound");
        telemetry = Objects.requireNonNullElse(telemetry, TelemetryMode.NONE);
        ConfigException.require(maxRequestBytes >= 0, "proxy.maxRequestBytes",
                "must not be negative, but was " + maxRequestBytes);
        http = Objects.requireNonNullElse(http, HttpLimits.DEFAULTS);
    }
}
