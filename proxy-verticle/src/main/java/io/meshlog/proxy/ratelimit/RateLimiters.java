package io.meshlog.proxy.ratelimit;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps token buckets across snapshots: a bucket whose policy key and spec are unchanged keeps its
 * tokens when a new snapshot is compiled; a changed spec starts a new full bucket. Global limits
 * are kept the same way by {@link GlobalRateLimits}.
 */
public final class RateLimiters {
    private final Clock clock;
    private final GlobalRateLimits global;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param global this proxy's shares of the global limits
     */
    public RateLimiters(Clock clock, GlobalRateLimits global) {
        this.clock = clock;
        this.global = global;
    }

    /** The bucket of {@code key} (e.g. policy key + route), made or replaced when {@code spec} changed. */
    public TokenBucket bucket(String key, RateLimitSpec spec) {
        return buckets.compute(key, (k, old) -> old != null && old.spec().equals(spec) ? old : new TokenBucket(spec, clock));
    }

    /** This proxy's share of the global limit {@code key}, made or replaced when {@code spec} changed. */
    public GlobalRateLimiter global(String key, GlobalLimitSpec spec) {
        return global.limiter(key, spec);
    }

    /** After a compile: forgets the global limits whose keys are not in {@code keys}. */
    public void retainGlobal(Set<String> keys) {
        global.retain(keys);
    }
}
