package io.meshlog.proxy.resilience;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Retry settings of one route; field names follow Istio's HTTPRetry.
 *
 * @param attempts retries allowed after the first try (Istio's meaning), 0–10
 * @param perTryTimeout timeout of each try; {@link Duration#ZERO} for none
 * @param retryOn the conditions that are retried
 * @param retriableStatusCodes the codes retried under {@link RetryOn#RETRIABLE_STATUS_CODES}
 * @param allowNonIdempotent whether POST and PATCH may be retried (meshlog: false unless set)
 */
public record RetryPolicy(
        int attempts, Duration perTryTimeout, Set<RetryOn> retryOn, Set<Integer> retriableStatusCodes,
        boolean allowNonIdempotent) {
    /** Istio's default: 2 retries on connect-failure, refused-stream and 503. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(2, Duration.ZERO,
            EnumSet.of(RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM, RetryOn.RETRIABLE_STATUS_CODES),
            Set.of(503), false);
    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, Set.of(), Set.of(), false);

    public RetryPolicy {
        if (attempts < 0 || attempts > 10) {
            throw new IllegalArgumentException("retries.attempts: must be between 0 and 10, but was " + attempts);
        }
        if (perTryTimeout == null || perTryTimeout.isNegative()) {
            throw new IllegalArgumentException("retries.perTryTimeout: must not be negative, but was " + perTryTimeout);
        }
        retryOn = retryOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(retryOn));
        retriableStatusCodes = Set.copyOf(retriableStatusCodes);
    }

    /** Whether {@code method} may be retried at all under this policy. */
    public boolean allowsMethod(String method) {
        return allowNonIdempotent || !("POST".equals(method) || "PATCH".equals(method));
    }

    /** Whether an attempt that ended with {@code status} (0 when none) or {@code failure} should be retried. */
    public boolean retriable(int status, AttemptFailure failure) {
        return switch (failure) {
            case NONE -> retriableStatus(status);
            case CONNECT_FAILURE -> has(RetryOn.CONNECT_FAILURE) || has(RetryOn.FIVE_XX) || has(RetryOn.GATEWAY_ERROR);
            case REFUSED_STREAM -> has(RetryOn.REFUSED_STREAM) || has(RetryOn.FIVE_XX);
            case RESET -> has(RetryOn.RESET) || has(RetryOn.FIVE_XX);
            case TIMEOUT -> has(RetryOn.FIVE_XX) || has(RetryOn.GATEWAY_ERROR);
            case OVERFLOW, NO_HEALTHY_UPSTREAM -> false;
        };
    }

    private boolean retriableStatus(int status) {
        if (status >= 500 && has(RetryOn.FIVE_XX)) {
            return true;
        }
        if ((status == 502 || status == 503 || status == 504) && has(RetryOn.GATEWAY_ERROR)) {
            return true;
        }
        if (status == 409 && has(RetryOn.RETRIABLE_4XX)) {
            return true;
        }
        return has(RetryOn.RETRIABLE_STATUS_CODES) && retriableStatusCodes.contains(status);
    }

    private boolean has(RetryOn condition) {
        return retryOn.contains(condition);
    }
}
