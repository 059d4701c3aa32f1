package io.meshlog.proxy.resilience;

import java.time.Duration;

/**
 * Istio's loadBalancer.consistentHash: what a request is hashed on, and the ring's size.
 *
 * @param key which request attribute
 * @param name the header, cookie or query parameter name ("" for the source IP)
 * @param cookiePath the Path of a generated cookie, or null
 * @param cookieTtl when set, a request without the cookie gets one generated (Max-Age = ttl, a
 *     session cookie for 0); null: no cookie is generated and such a request is balanced randomly
 * @param minimumRingSize entries on the ring (at least; each endpoint gets an equal share)
 */
public record HashPolicy(Key key, String name, String cookiePath, Duration cookieTtl, int minimumRingSize) {
    /** Envoy's default minimum_ring_size. */
    public static final int DEFAULT_MINIMUM_RING_SIZE = 1024;

    /** What the hash is computed from. */
    public enum Key { HEADER, COOKIE, SOURCE_IP, QUERY_PARAMETER }

    public HashPolicy {
        if (minimumRingSize < 1) {
            throw new IllegalArgumentException("minimumRingSize must be at least 1, but was " + minimumRingSize);
        }
    }
}
