package io.meshlog.proxy.resilience;

/** Istio's simple load balancers. */
public enum LbPolicy {
    ROUND_ROBIN,
    /** Power of two choices: the less busy of two random endpoints. */
    LEAST_REQUEST,
    RANDOM
}
