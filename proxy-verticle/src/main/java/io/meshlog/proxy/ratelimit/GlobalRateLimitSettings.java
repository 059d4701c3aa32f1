package io.meshlog.proxy.ratelimit;

import java.time.Duration;

/**
 * How often a proxy rebalances its shares of the global limits, and when it gives the shared
 * counters up as unreachable.
 *
 * @param refreshInterval how often this proxy publishes its demand and recomputes its shares; also
 *     the burst a share allows (one interval's worth of requests)
 * @param unavailableAfter how long after the last successful exchange the limit's failure mode
 *     applies; also how long a silent proxy's demand counts for the others
 */
public record GlobalRateLimitSettings(Duration refreshInterval, Duration unavailableAfter) {
    /**
     * 250 ms refresh; unreachable after 3 s (a busy machine can stall one Hazelcast round trip for
     * a second, which must not flip the limit to its failure mode).
     */
    public static final GlobalRateLimitSettings DEFAULT =
            new GlobalRateLimitSettings(Duration.ofMillis(250), Duration.ofSeconds(3));

    public GlobalRateLimitSettings {
        if (refreshInterval == null || refreshInterval.toMillis() < 10) {
            throw new IllegalArgumentException("globalRateLimit.refreshInterval: must be at least 10ms, but was " + refreshInterval);
        }
        if (unavailableAfter == null || unavailableAfter.compareTo(refreshInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("globalRateLimit.unavailableAfter: must be at least twice refreshInterval ("
                    + refreshInterval.multipliedBy(2) + "), but was " + unavailableAfter);
        }
    }
}
