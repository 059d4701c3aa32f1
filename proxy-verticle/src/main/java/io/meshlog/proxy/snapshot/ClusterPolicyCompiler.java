package io.meshlog.proxy.snapshot;

import io.meshlog.proxy.resilience.ClusterPolicy;
import io.meshlog.proxy.resilience.HashPolicy;
import io.meshlog.proxy.resilience.HashRing;
import io.meshlog.proxy.resilience.LbPolicy;
import io.meshlog.proxy.resilience.OutlierSettings;
import io.meshlog.proxy.resilience.PoolLimits;
import io.meshlog.proxy.resilience.SubsetPolicy;
import io.meshlog.proxy.resilience.TrafficSettings;
import io.meshlog.schemas.v1.ConnectionPoolSettings;
import io.meshlog.schemas.v1.ConsistentHashLB;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.LoadBalancer;
import io.meshlog.schemas.v1.OutlierDetection;
import io.meshlog.schemas.v1.TrafficPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compiles one DestinationRule; throws {@link InvalidPolicyException} naming the bad path. A subset's
 * trafficPolicy is merged over the rule's as Istio merges them: each field group the subset sets
 * (loadBalancer, connectionPool, outlierDetection) replaces the rule's group whole; the groups it
 * leaves out are the rule's. Without an outlierDetection group anywhere, detection is off (Istio's default).
 */
final class ClusterPolicyCompiler {
    private ClusterPolicyCompiler() {}

    static ClusterPolicy compile(DestinationRuleSpec spec, String key) {
        var top = TrafficSettings.DEFAULT.override(
                settingsOf(spec.getTrafficPolicy(), "spec.trafficPolicy", ClusterPolicyCompiler::lbOrNull),
                settingsOf(spec.getTrafficPolicy(), "spec.trafficPolicy", ClusterPolicyCompiler::hashOrNull),
                settingsOf(spec.getTrafficPolicy(), "spec.trafficPolicy", ClusterPolicyCompiler::poolOrNull),
                settingsOf(spec.getTrafficPolicy(), "spec.trafficPolicy", ClusterPolicyCompiler::outlierOrNull));
        var subsets = new HashMap<String, SubsetPolicy>();
        for (int i = 0; i < spec.getSubsets().size(); i++) {
            var subset = spec.getSubsets().get(i);
            var path = "spec.subsets[" + i + "]";
            if (subsets.containsKey(subset.getName())) {
                throw new InvalidPolicyException(path + ".name", "subset '" + subset.getName() + "' is defined twice");
            }
            var own = subset.getTrafficPolicy();
            var policyPath = path + ".trafficPolicy";
            var traffic = top.override(settingsOf(own, policyPath, ClusterPolicyCompiler::lbOrNull),
                    settingsOf(own, policyPath, ClusterPolicyCompiler::hashOrNull),
                    settingsOf(own, policyPath, ClusterPolicyCompiler::poolOrNull),
                    settingsOf(own, policyPath, ClusterPolicyCompiler::outlierOrNull));
            subsets.put(subset.getName(), new SubsetPolicy(subset.getName(), subset.getLabels(), traffic, ownGroups(own)));
        }
        return new ClusterPolicy(spec.getHost(), key, top, subsets);
    }

    private static <T> T settingsOf(TrafficPolicy policy, String path, java.util.function.BiFunction<TrafficPolicy, String, T> group) {
        return policy == null ? null : group.apply(policy, path);
    }

    private static Set<String> ownGroups(TrafficPolicy policy) {
        var groups = new TreeSet<String>();
        if (policy != null) {
            if (policy.getLoadBalancer() != null || policy.getConsistentHash() != null) {
                groups.add("loadBalancer");
            }
            if (policy.getConnectionPool() != null) {
                groups.add("connectionPool");
            }
            if (policy.getOutlierDetection() != null) {
                groups.add("outlierDetection");
            }
        }
        return groups;
    }

    private static LbPolicy lbOrNull(TrafficPolicy policy, String path) {
        return policy.getLoadBalancer() == null ? null : lb(policy.getLoadBalancer(), path + ".loadBalancer");
    }

    private static HashPolicy hashOrNull(TrafficPolicy policy, String path) {
        if (policy.getLoadBalancer() != null && policy.getConsistentHash() != null) {
            throw new InvalidPolicyException(path + ".loadBalancer", "set simple or consistentHash, not both");
        }
        return hash(policy.getConsistentHash(), path + ".loadBalancer.consistentHash");
    }

    private static PoolLimits poolOrNull(TrafficPolicy policy, String path) {
        return policy.getConnectionPool() == null ? null : pool(policy.getConnectionPool(), path);
    }

    private static OutlierSettings outlierOrNull(TrafficPolicy policy, String path) {
        return policy.getOutlierDetection() == null ? null : outlier(policy.getOutlierDetection(), path);
    }

    /** Istio's ConsistentHashLB: exactly one key; the validator says so too, the proxy re-checks what it relies on. */
    static HashPolicy hash(ConsistentHashLB hash, String path) {
        if (hash == null) {
            return null;
        }
        int ring = hash.getMinimumRingSize() == null ? HashPolicy.DEFAULT_MINIMUM_RING_SIZE : hash.getMinimumRingSize();
        if (ring < 1 || ring > HashRing.MAX_RING_SIZE) {
            throw new InvalidPolicyException(path + ".ringHash.minimumRingSize",
                    "must be between 1 and " + HashRing.MAX_RING_SIZE + ", but was " + ring);
        }
        var keys = new ArrayList<HashPolicy>();
        if (hash.getHttpHeaderName() != null) {
            keys.add(new HashPolicy(HashPolicy.Key.HEADER, hash.getHttpHeaderName().toLowerCase(Locale.ROOT), null, null, ring));
        }
        var cookie = hash.getHttpCookie();
        if (cookie != null) {
            keys.add(new HashPolicy(HashPolicy.Key.COOKIE, cookie.getName(), cookie.getPath(),
                    cookie.getTtl() == null ? null : Duration.ofMillis(cookie.getTtl()), ring));
        }
        if (hash.getUseSourceIp()) {
            keys.add(new HashPolicy(HashPolicy.Key.SOURCE_IP, "", null, null, ring));
        }
        if (hash.getHttpQueryParameterName() != null) {
            keys.add(new HashPolicy(HashPolicy.Key.QUERY_PARAMETER, hash.getHttpQueryParameterName(), null, null, ring));
        }
        if (keys.size() != 1) {
            throw new InvalidPolicyException(path, "must set exactly one of httpHeaderName, httpCookie, useSourceIp or "
                    + "httpQueryParameterName, but sets " + keys.size());
        }
        return keys.get(0);
    }

    private static LbPolicy lb(LoadBalancer lb, String path) {
        if (lb == null) {
            return LbPolicy.ROUND_ROBIN;
        }
        return switch (lb) {
            case ROUND_ROBIN -> LbPolicy.ROUND_ROBIN;
            case LEAST_REQUEST -> LbPolicy.LEAST_REQUEST;
            case RANDOM -> LbPolicy.RANDOM;
            case PASSTHROUGH -> throw new InvalidPolicyException(path, "PASSTHROUGH is not supported; use ROUND_ROBIN, LEAST_REQUEST or RANDOM");
        };
    }

    private static PoolLimits pool(ConnectionPoolSettings pool, String path) {
        var defaults = PoolLimits.DEFAULT;
        try {
            return new PoolLimits(
                    or(pool.getMaxConnections(), defaults.maxConnections()),
                    or(pool.getHttp1MaxPendingRequests(), defaults.http1MaxPendingRequests()),
                    or(pool.getHttp2MaxRequests(), defaults.http2MaxRequests()),
                    or(pool.getMaxRequestsPerConnection(), defaults.maxRequestsPerConnection()),
                    pool.getConnectTimeout() == null ? defaults.connectTimeout() : Duration.ofMillis(pool.getConnectTimeout()),
                    pool.getIdleTimeout() == null ? defaults.idleTimeout() : Duration.ofMillis(pool.getIdleTimeout()));
        } catch (IllegalArgumentException e) {
            throw new InvalidPolicyException(path, e.getMessage());
        }
    }

    private static OutlierSettings outlier(OutlierDetection outlier, String path) {
        var defaults = OutlierSettings.DEFAULT;
        try {
            return new OutlierSettings(
                    or(outlier.getConsecutive5xxErrors(), defaults.consecutive5xxErrors()),
                    or(outlier.getConsecutiveGatewayErrors(), defaults.consecutiveGatewayErrors()),
                    duration(outlier.getInterval(), defaults.interval()),
                    duration(outlier.getBaseEjectionTime(), defaults.baseEjectionTime()),
                    duration(outlier.getMaxEjectionTime(), defaults.maxEjectionTime()),
                    or(outlier.getMaxEjectionPercent(), defaults.maxEjectionPercent()),
                    or(outlier.getMinHealthPercent(), defaults.minHealthPercent()));
        } catch (IllegalArgumentException e) {
            throw new InvalidPolicyException(path, e.getMessage());
        }
    }

    private static int or(Integer value, int fallback) {
        return value != null ? value : fallback;
    }

    private static Duration duration(Long millis, Duration fallback) {
        return millis != null ? Duration.ofMillis(millis) : fallback;
    }
}
