package io.meshlog.proxy.resilience;

/** Istio's simple load balancers, and the consistent hash. */
public enum LbPolicy {
    ROUND_ROBIN,
    /** Power of two choices: the less busy of two random endpoints. */
    LEAST_REQUEST,
    RANDOM,
    /** Istio's consistentHash: the endpoint owning the request key's point on a ring ({@link HashRing}). */
    RING_HASH
}
