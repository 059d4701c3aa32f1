package io.meshlog.proxy.resilience;

import java.util.Objects;

/**
 * The settings a request to one destination (a service, or one of its subsets) runs under: Istio's
 * TrafficPolicy field groups, already merged (a subset's group replaces the service's group whole,
 * as Istio's {@code MergeTrafficPolicy} does).
 *
 * @param loadBalancer how an endpoint is picked ({@link LbPolicy#RING_HASH} when {@code hashPolicy} is set)
 * @param pool connection pool and circuit-breaker limits
 * @param outlier local outlier detection; {@link OutlierSettings#DISABLED} when no rule asks for it
 * @param hashPolicy Istio's loadBalancer.consistentHash, part of the loadBalancer group, or null
 */
public record TrafficSettings(LbPolicy loadBalancer, PoolLimits pool, OutlierSettings outlier, HashPolicy hashPolicy) {
    /** A service without a DestinationRule: round robin, Envoy's pool defaults, no outlier detection (Istio's default). */
    public static final TrafficSettings DEFAULT = new TrafficSettings(LbPolicy.ROUND_ROBIN, PoolLimits.DEFAULT, OutlierSettings.DISABLED);

    public TrafficSettings {
        Objects.requireNonNull(loadBalancer, "loadBalancer");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(outlier, "outlier");
        if (hashPolicy != null) {
            loadBalancer = LbPolicy.RING_HASH;
        }
    }

    /** Without a consistent hash. */
    public TrafficSettings(LbPolicy loadBalancer, PoolLimits pool, OutlierSettings outlier) {
        this(loadBalancer, pool, outlier, null);
    }

    /**
     * These settings with a subset's own field groups in place of the service's; a null group keeps
     * the service's.
     */
    public TrafficSettings override(LbPolicy subsetLoadBalancer, PoolLimits subsetPool, OutlierSettings subsetOutlier) {
        return override(subsetLoadBalancer, null, subsetPool, subsetOutlier);
    }

    /**
     * As {@link #override(LbPolicy, PoolLimits, OutlierSettings)}; the subset's loadBalancer group is
     * its simple balancer or its consistent hash, and either replaces both of the service's.
     */
    public TrafficSettings override(LbPolicy subsetLoadBalancer, HashPolicy subsetHash, PoolLimits subsetPool,
            OutlierSettings subsetOutlier) {
        boolean ownBalancer = subsetLoadBalancer != null || subsetHash != null;
        return new TrafficSettings(ownBalancer ? (subsetLoadBalancer != null ? subsetLoadBalancer : LbPolicy.RING_HASH) : loadBalancer,
                subsetPool != null ? subsetPool : pool, subsetOutlier != null ? subsetOutlier : outlier,
                ownBalancer ? subsetHash : hashPolicy);
    }
}
