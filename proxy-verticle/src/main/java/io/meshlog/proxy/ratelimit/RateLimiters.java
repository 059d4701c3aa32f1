package io.meshlog.proxy.ratelimit;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps token buckets across snapshots: a bucket whose policy key and spec are unchanged keeps its
 * tokens when a new snapshot is compiled; a changed spec starts a new full bucket.
 */
public final class RateLimiters {
    private final Clock clock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public RateLimiters(Clock clock) {
        this.clock = clock;
    }

    /** The bucket of {@code key} (e.g. policy key + route), made or replaced when {@code spec} changed. */
    public TokenBucket bucket(String key, RateLimitSpec spec) {
        return buckets.compute(key, (k, old) -> old != null && old.spec().equals(spec) ? old : new TokenBucket(spec, clock));
    }
}
