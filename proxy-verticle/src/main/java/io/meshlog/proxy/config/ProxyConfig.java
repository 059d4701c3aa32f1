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
 * @param concurrency how many event loops serve the outbound and inbound listeners (Envoy's
 *     {@code --concurrency}); 0 means one per CPU available to the process
 */
public record ProxyConfig(
        String proxyId, String workload, String namespace, Map<String, String> labels,
        ListenerConfig outbound, InboundListenerConfig inbound, ListenerConfig admin,
        TelemetryMode telemetry, long maxRequestBytes, HttpLimits http, int concurrency) {
    public static final String DEFAULT_NAMESPACE = "default";
    /** 4 MiB: Envoy buffers 1 MiB per connection by default; a 64 MB heap holds a dozen of these. */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 4L * 1024 * 1024;

    /** The most event loops a proxy runs (a sidecar beyond this is mis-sized, not faster). */
    public static final int MAX_CONCURRENCY = 256;

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

    /** One event loop per available CPU. */
    public ProxyConfig(String proxyId, String workload, String namespace, Map<String, String> labels,
            ListenerConfig outbound, InboundListenerConfig inbound, ListenerConfig admin, TelemetryMode telemetry,
            long maxRequestBytes, HttpLimits http) {
        this(proxyId, workload, namespace, labels, outbound, inbound, admin, telemetry, maxRequestBytes, http, 0);
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
        ConfigException.require(concurrency >= 0 && concurrency <= MAX_CONCURRENCY, "proxy.concurrency",
                "must be between 0 (one per CPU) and " + MAX_CONCURRENCY + ", but was " + concurrency);
        concurrency = concurrency == 0 ? Math.max(1, Runtime.getRuntime().availableProcessors()) : concurrency;
    }

    /** The same proxy served by {@code loops} event loops (0: one per available CPU). */
    public ProxyConfig withConcurrency(int loops) {
        return new ProxyConfig(proxyId, workload, namespace, labels, outbound, inbound, admin, telemetry, maxRequestBytes,
                http, loops);
    }
}
