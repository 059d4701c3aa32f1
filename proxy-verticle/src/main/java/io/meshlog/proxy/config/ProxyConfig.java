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
 * @param retryBufferBytes the most of a request body held so that a retry can send it again
 *     (Envoy's retry buffer limit); a larger body streams and its request is tried once
 * @param http what the HTTP/1.1 listeners accept (header count and size, URI, chunk size,
 *     header-read timeout)
 * @param concurrency how many event loops serve the outbound and inbound listeners (Envoy's
 *     {@code --concurrency}); 0 means one per CPU available to the process
 * @param mirror the bounds of traffic mirroring (shadows in flight, shadow timeout)
 */
public record ProxyConfig(
        String proxyId, String workload, String namespace, Map<String, String> labels,
        ListenerConfig outbound, InboundListenerConfig inbound, ListenerConfig admin,
        TelemetryMode telemetry, long retryBufferBytes, HttpLimits http, int concurrency, MirrorLimits mirror) {
    public static final String DEFAULT_NAMESPACE = "default";
    /** 1 MiB, Envoy's default buffer limit (bodies no retry can need are never held). */
    public static final long DEFAULT_RETRY_BUFFER_BYTES = 1024L * 1024;

    /** The most event loops a proxy runs (a sidecar beyond this is mis-sized, not faster). */
    public static final int MAX_CONCURRENCY = 256;

    /** With the default body limit. */
    public ProxyConfig(String proxyId, String workload, String namespace, Map<String, String> labels,
            ListenerConfig outbound, InboundListenerConfig inbound, ListenerConfig admin, TelemetryMode telemetry) {
        this(proxyId, workload, namespace, labels, outbound, inbound, admin, telemetry, DEFAULT_RETRY_BUFFER_BYTES);
    }

    /** With the default HTTP limits. */
    public ProxyConfig(String proxyId, String workload, String namespace, Map<String, String> labels,
            ListenerConfig outbound, InboundListenerConfig inbound, ListenerConfig admin, TelemetryMode telemetry,
            long retryBufferBytes) {
        this(proxyId, workload, namespace, labels, outbound, inbound, admin, telemetry, retryBufferBytes,
                HttpLimits.DEFAULTS);
    }

    /** One event loop per available CPU. */
    public ProxyConfig(String proxyId, String workload, String namespace, Map<String, String> labels,
            ListenerConfig outbound, InboundListenerConfig inbound, ListenerConfig admin, TelemetryMode telemetry,
            long retryBufferBytes, HttpLimits http) {
        this(proxyId, workload, namespace, labels, outbound, inbound, admin, telemetry, retryBufferBytes, http, 0);
    }

    /** With the default mirroring bounds. */
    public ProxyConfig(String proxyId, String workload, String namespace, Map<String, String> labels,
            ListenerConfig outbound, InboundListenerConfig inbound, ListenerConfig admin, TelemetryMode telemetry,
            long retryBufferBytes, HttpLimits http, int concurrency) {
        this(proxyId, workload, namespace, labels, outbound, inbound, admin, telemetry, retryBufferBytes, http, concurrency,
                MirrorLimits.DEFAULTS);
    }

    public ProxyConfig {
        ConfigException.require(proxyId != null && !proxyId.isBlank(), "proxy.id", "must be set");
        ConfigException.require(workload != null && !workload.isBlank(), "proxy.workload", "must be set");
        namespace = namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        ConfigException.require(outbound != null || inbound != null, "listeners",
                "needs at least one of outbound or inbound");
        telemetry = Objects.requireNonNullElse(telemetry, TelemetryMode.NONE);
        ConfigException.require(retryBufferBytes >= 0, "proxy.retryBufferBytes",
                "must not be negative, but was " + retryBufferBytes);
        http = Objects.requireNonNullElse(http, HttpLimits.DEFAULTS);
        ConfigException.require(concurrency >= 0 && concurrency <= MAX_CONCURRENCY, "proxy.concurrency",
                "must be between 0 (one per CPU) and " + MAX_CONCURRENCY + ", but was " + concurrency);
        mirror = Objects.requireNonNullElse(mirror, MirrorLimits.DEFAULTS);
        concurrency = concurrency == 0 ? Math.max(1, Runtime.getRuntime().availableProcessors()) : concurrency;
    }

    /** The same proxy served by {@code loops} event loops (0: one per available CPU). */
    public ProxyConfig withConcurrency(int loops) {
        return new ProxyConfig(proxyId, workload, namespace, labels, outbound, inbound, admin, telemetry, retryBufferBytes,
                http, loops, mirror);
    }
}
