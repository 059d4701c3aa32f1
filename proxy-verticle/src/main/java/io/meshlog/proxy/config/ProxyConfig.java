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
 */
public record ProxyConfig(
        String proxyId, String workload, String namespace, Map<String, String> labels,
        ListenerConfig outbound, InboundListenerConfig inbound, ListenerConfig admin,
        TelemetryMode telemetry) {
    public static final String DEFAULT_NAMESPACE = "default";

    public ProxyConfig {
        ConfigException.require(proxyId != null && !proxyId.isBlank(), "proxy.id", "must be set");
        ConfigException.require(workload != null && !workload.isBlank(), "proxy.workload", "must be set");
        namespace = namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        ConfigException.require(outbound != null || inbound != null, "listeners",
                "needs at least one of outbound or inbound");
        telemetry = Objects.requireNonNullElse(telemetry, TelemetryMode.NONE);
    }
}
