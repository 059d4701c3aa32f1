package io.meshlog.proxy.snapshot;

import io.meshlog.policy.model.SidecarScope;
import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.proxy.observability.TelemetryPolicy;
import io.meshlog.proxy.resilience.ClusterPolicy;
import io.meshlog.proxy.route.HostRoutes;
import io.meshlog.policy.model.MeshModes;
import io.meshlog.schemas.v1.EnforcementMode;
import java.util.List;
import java.util.Map;

/**
 * Everything the request path needs from policy, compiled once and never changed: a request reads
 * the snapshot current when it starts and keeps it to the end.
 *
 * @param version the {@code PolicyState} version it was compiled from
 * @param routes host to its VirtualService routes
 * @param clusters service to its own DestinationRule's settings
 * @param meshWide the mesh-wide DestinationRule (root namespace, host {@code *.local}), or null
 * @param listenerLimits rate limits of the inbound listener
 * @param routeLimits route name to its rate limits
 * @param endpoints service to its endpoints when compiled (for /config_dump)
 * @param generations policy key to the generation applied (every live policy, all kinds)
 * @param rejected policies that could not be used, with reasons
 * @param telemetry the Telemetry policies in force for this workload, merged
 * @param mode this workload's MeshMode: OBSERVE turns every enforcement point into a recorded would-have
 * @param scope the services this proxy may call (its Sidecar's egress hosts); when scoped, a host
 *     without routes or endpoints is outside it and answered as Istio's REGISTRY_ONLY does (502)
 */
public record MeshSnapshot(
        long version, Map<String, HostRoutes> routes, Map<String, ClusterPolicy> clusters, ClusterPolicy meshWide,
        List<RateLimitRule> listenerLimits, Map<String, List<RateLimitRule>> routeLimits,
        Map<String, List<Endpoint>> endpoints, Map<String, Long> generations, List<RejectedPolicy> rejected,
        TelemetryPolicy telemetry, EnforcementMode mode, SidecarScope scope) {
    public static final MeshSnapshot EMPTY = new MeshSnapshot(0, Map.of(), Map.of(), null, List.of(), Map.of(), Map.of(),
            Map.of(), List.of(), TelemetryPolicy.DEFAULT, MeshModes.DEFAULT, SidecarScope.UNSCOPED);

    /** An unscoped snapshot in the default mode (no MeshMode, no Sidecar applies). */
    public MeshSnapshot(long version, Map<String, HostRoutes> routes, Map<String, ClusterPolicy> clusters,
            ClusterPolicy meshWide, List<RateLimitRule> listenerLimits, Map<String, List<RateLimitRule>> routeLimits,
            Map<String, List<Endpoint>> endpoints, Map<String, Long> generations, List<RejectedPolicy> rejected,
            TelemetryPolicy telemetry) {
        this(version, routes, clusters, meshWide, listenerLimits, routeLimits, endpoints, generations, rejected, telemetry,
                MeshModes.DEFAULT, SidecarScope.UNSCOPED);
    }

    /** A snapshot without a mesh-wide rule. */
    public MeshSnapshot(long version, Map<String, HostRoutes> routes, Map<String, ClusterPolicy> clusters,
            List<RateLimitRule> listenerLimits, Map<String, List<RateLimitRule>> routeLimits,
            Map<String, List<Endpoint>> endpoints, Map<String, Long> generations, List<RejectedPolicy> rejected,
            TelemetryPolicy telemetry) {
        this(version, routes, clusters, null, listenerLimits, routeLimits, endpoints, generations, rejected, telemetry);
    }

    /** A snapshot without Telemetry policies. */
    public MeshSnapshot(long version, Map<String, HostRoutes> routes, Map<String, ClusterPolicy> clusters,
            ClusterPolicy meshWide, List<RateLimitRule> listenerLimits, Map<String, List<RateLimitRule>> routeLimits,
            Map<String, List<Endpoint>> endpoints, Map<String, Long> generations, List<RejectedPolicy> rejected) {
        this(version, routes, clusters, meshWide, listenerLimits, routeLimits, endpoints, generations, rejected,
                TelemetryPolicy.DEFAULT);
    }

    /** A snapshot without a mesh-wide rule or Telemetry policies. */
    public MeshSnapshot(long version, Map<String, HostRoutes> routes, Map<String, ClusterPolicy> clusters,
            List<RateLimitRule> listenerLimits, Map<String, List<RateLimitRule>> routeLimits,
            Map<String, List<Endpoint>> endpoints, Map<String, Long> generations, List<RejectedPolicy> rejected) {
        this(version, routes, clusters, null, listenerLimits, routeLimits, endpoints, generations, rejected,
                TelemetryPolicy.DEFAULT);
    }

    public MeshSnapshot {
        telemetry = telemetry == null ? TelemetryPolicy.DEFAULT : telemetry;
        mode = mode == null ? MeshModes.DEFAULT : mode;
        scope = scope == null ? SidecarScope.UNSCOPED : scope;
        routes = Map.copyOf(routes);
        clusters = Map.copyOf(clusters);
        listenerLimits = List.copyOf(listenerLimits);
        routeLimits = Map.copyOf(routeLimits);
        endpoints = Map.copyOf(endpoints);
        generations = Map.copyOf(generations);
        rejected = List.copyOf(rejected);
    }

    /** Whether this workload only observes (MeshMode OBSERVE). */
    public boolean observe() {
        return mode == EnforcementMode.OBSERVE;
    }

    /** The routes of {@code host}, or null when no VirtualService names it. */
    public HostRoutes routesFor(String host) {
        return routes.get(host);
    }

    /**
     * The DestinationRule settings of {@code service}: its own rule's, else the mesh-wide rule's
     * (Istio takes the most specific rule whole, never a field-by-field mix), else Istio's defaults.
     */
    public ClusterPolicy clusterPolicy(String service) {
        var policy = clusters.get(service);
        if (policy != null) {
            return policy;
        }
        return meshWide != null ? meshWide : defaultPolicy(service);
    }

    private static final Map<String, ClusterPolicy> DEFAULTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static ClusterPolicy defaultPolicy(String service) {
        // one instance per service, so clusters keep their candidate lists between snapshots
        return DEFAULTS.computeIfAbsent(service, ClusterPolicy::defaults);
    }
}
