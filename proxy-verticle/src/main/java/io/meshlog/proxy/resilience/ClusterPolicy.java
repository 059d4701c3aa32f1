package io.meshlog.proxy.resilience;

import java.util.Map;

/**
 * A destination service's DestinationRule, compiled.
 *
 * @param service the host it applies to
 * @param source the policy key it came from, or "" for defaults
 * @param loadBalancer the service's balancer
 * @param pool connection pool limits
 * @param outlier local outlier detection settings
 * @param subsets subset name to its definition
 * @param hashPolicy the service's consistent hash (Istio's loadBalancer.consistentHash), or null
 */
public record ClusterPolicy(
        String service, String source, LbPolicy loadBalancer, PoolLimits pool, OutlierSettings outlier,
        Map<String, SubsetPolicy> subsets, HashPolicy hashPolicy) {
    public ClusterPolicy {
        subsets = Map.copyOf(subsets);
    }

    public ClusterPolicy(String service, String source, LbPolicy loadBalancer, PoolLimits pool, OutlierSettings outlier,
            Map<String, SubsetPolicy> subsets) {
        this(service, source, loadBalancer, pool, outlier, subsets, null);
    }

    /** The settings of a service without a DestinationRule. */
    public static ClusterPolicy defaults(String service) {
        return new ClusterPolicy(service, "", LbPolicy.ROUND_ROBIN, PoolLimits.DEFAULT, OutlierSettings.DEFAULT, Map.of());
    }
}
