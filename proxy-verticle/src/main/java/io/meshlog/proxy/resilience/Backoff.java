package io.meshlog.proxy.resilience;

import java.util.function.LongUnaryOperator;

/**
 * Envoy's retry back-off: full jitter over {@code [0, base * (2^n - 1)]}, base 25 ms, capped at
 * ten times the base.
 */
public final class Backoff {
    public static final long BASE_MILLIS = 25;
    public static final long MAX_MILLIS = 10 * BASE_MILLIS;

    private final LongUnaryOperator random;

    /** @param random returns a number in {@code [0, bound)} for a given bound */
    public Backoff(LongUnaryOperator random) {
        this.random = random;
    }

    /** The wait before retry number {@code retry} (1 for the first retry). */
    public long delayMillis(int retry) {
        long ceiling = Math.min(MAX_MILLIS, BASE_MILLIS * ((1L << Math.min(retry, 10)) - 1));
        return random.applyAsLong(ceiling + 1);
    }
}
