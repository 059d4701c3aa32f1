package io.meshlog.proxy.ratelimit;

import java.time.Duration;

/**
 * A local token bucket, as in Envoy's local rate limit filter.
 *
 * @param maxTokens the bucket's size (and its content at start)
 * @param tokensPerFill tokens added every {@code fillInterval}
 * @param fillInterval how often tokens are added
 * @param shadow only count what would be limited, limit nothing
 */
public record RateLimitSpec(int maxTokens, int tokensPerFill, Duration fillInterval, boolean shadow) {
    public RateLimitSpec {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("tokenBucket.maxTokens: must be at least 1, but was " + maxTokens);
        }
        if (tokensPerFill < 1) {
            throw new IllegalArgumentException("tokenBucket.tokensPerFill: must be at least 1, but was " + tokensPerFill);
        }
        if (fillInterval == null || fillInterval.toMillis() < 1) {
            throw new IllegalArgumentException("tokenBucket.fillInterval: must be at least 1ms, but was " + fillInterval);
        }
    }
}
