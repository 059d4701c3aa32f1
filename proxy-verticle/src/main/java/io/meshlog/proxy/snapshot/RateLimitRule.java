package io.meshlog.proxy.snapshot;

import io.meshlog.proxy.ratelimit.RequestLimiter;

/**
 * A RateLimitPolicy's limit as applied by this proxy.
 *
 * @param source the policy key
 * @param bucket the live limiter, a local token bucket or a share of a global limit (kept across
 *     snapshots while the policy is unchanged)
 */
public record RateLimitRule(String source, RequestLimiter bucket) {}
