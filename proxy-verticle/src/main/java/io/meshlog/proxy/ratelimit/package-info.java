/**
 * What: local rate limiting with token buckets (Envoy's local rate limit: maxTokens,
 * tokensPerFill, fillInterval), per inbound listener and per route, with a shadow mode that only
 * counts.
 *
 * <p>Flow: the snapshot compiler asks {@link io.meshlog.proxy.ratelimit.RateLimiters} for the
 * bucket of each RateLimitPolicy; the inbound listener's interceptor and the outbound handler call
 * {@link io.meshlog.proxy.ratelimit.TokenBucket#acquire()} and answer 429 RL with {@code
 * x-ratelimited: true} when it says no.
 *
 * <p>Thread: every event loop; a bucket is lock-free (one compare-and-set per request), refilled lazily from a Clock.
 */
package io.meshlog.proxy.ratelimit;
