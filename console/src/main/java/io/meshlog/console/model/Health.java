package io.meshlog.console.model;

/**
 * Kiali's default health thresholds on the 5xx ratio: from 0.1% a node or edge is degraded,
 * above 10% it is failing. Kept identical so that Istio users read the colours the same way.
 */
public enum Health {
    /** No traffic in the window: nothing to judge. */
    IDLE,
    HEALTHY,
    DEGRADED,
    FAILURE;

    /** Degraded from this 5xx ratio on (inclusive). */
    public static final double DEGRADED_AT = 0.001;
    /** Failing above this 5xx ratio (exclusive). */
    public static final double FAILURE_ABOVE = 0.10;

    /** The health of {@code errors5xx} out of {@code requests}. */
    public static Health of(long requests, long errors5xx) {
        if (requests <= 0) {
            return IDLE;
        }
        double ratio = (double) errors5xx / requests;
        if (ratio > FAILURE_ABOVE) {
            return FAILURE;
        }
        return ratio >= DEGRADED_AT ? DEGRADED : HEALTHY;
    }

    /** The worse of two. */
    public Health worst(Health other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
