package io.meshlog.proxy.ratelimit;

/**
 * One rate limit as the request path sees it: a local {@link TokenBucket} or a share of a global
 * limit ({@link GlobalRateLimiter}). Called on event loops for every request it covers, so an
 * implementation never blocks and never calls the network.
 */
public interface RequestLimiter {
    /** Takes a permit; {@link TokenBucket.Decision#LIMITED} when the request must be limited. */
    TokenBucket.Decision acquire();

    /** Requests that got no permit (limited, or only counted in shadow mode). */
    long limited();
}
