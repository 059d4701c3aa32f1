package io.meshlog.proxy.snapshot;

import io.meshlog.proxy.ratelimit.TokenBucket;

/**
 * A RateLimitPolicy's bucket as applied by this proxy.
 *
 * @param source the policy key
 * @param bucket the live bucket (kept across snapshots while the policy is unchanged)
 */
public record RateLimitRule(String source, TokenBucket bucket) {}
