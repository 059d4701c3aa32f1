package io.meshlog.proxy.resilience;

import java.util.Objects;

/**
 * The settings a request to one destination (a service, or one of its subsets) runs under: Istio's
 * TrafficPolicy field groups, already merged (a subset's group replaces the service's group whole,
 * as Istio's {@code MergeTrafficPolicy} does).
 *
 * @param loadBalancer how an endpoint is picked
 * @param pool connection pool and circuit-breaker limits
 * @param outlier local outlier detection; {@link OutlierSettings#DISABLED} when no rule asks for it
 */
public record TrafficSettings(LbPolicy loadBalancer, PoolLimits pool, OutlierSettings outlier) {
    /** A service without a DestinationRule: round robin, Envoy's pool defaults, no outlier detection (Istio's default). */
    public static final TrafficSettings DEFAULT = new TrafficSettings(LbPolicy.ROUND_ROBIN, PoolLimits.DEFAULT, OutlierSettings.DISABLED);

    public TrafficSettings {
        Objects.requireNonNull(loadBalancer, "loadBalancer");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(outlier, "outlier");
    }

    /**
     * These settings with a subset's own field groups in place of the service's; a null group keeps
     * the service's.
     */
    public TrafficSettings override(LbPolicy subsetLoadBalancer, PoolLimits subsetPool, OutlierSettings subsetOutlier) {
        return new TrafficSettings(subsetLoadBalancer != null ? subsetLoadBalancer : loadBalancer,
                subsetPool != null ? subsetPool : pool, subsetOutlier != null ? subsetOutlier : outlier);
    }
}
