package io.meshlog.proxy.resilience;

import java.util.Map;

/**
 * A destination service's DestinationRule, compiled.
 *
 * @param service the host it applies to ({@code *.local} and the like for the mesh-wide rule)
 * @param source the policy key it came from, or "" for defaults
 * @param traffic the rule's top-level trafficPolicy (requests without a subset)
 * @param subsets subset name to its definition, each with its merged settings
 */
public record ClusterPolicy(String service, String source, TrafficSettings traffic, Map<String, SubsetPolicy> subsets) {
    public ClusterPolicy {
        subsets = Map.copyOf(subsets);
    }

    /** The settings of a service without a DestinationRule (none of its own, none mesh-wide). */
    public static ClusterPolicy defaults(String service) {
        return new ClusterPolicy(service, "", TrafficSettings.DEFAULT, Map.of());
    }

    public LbPolicy loadBalancer() {
        return traffic.loadBalancer();
    }

    public PoolLimits pool() {
        return traffic.pool();
    }

    public OutlierSettings outlier() {
        return traffic.outlier();
    }

    /** The service's consistent hash (Istio's loadBalancer.consistentHash), or null. */
    public HashPolicy hashPolicy() {
        return traffic.hashPolicy();
    }
}
