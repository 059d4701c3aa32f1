package io.meshlog.proxy.ratelimit;

import io.meshlog.schemas.v1.GlobalRateLimit;
import io.meshlog.schemas.v1.GlobalRateLimitFailureMode;
import java.time.Duration;

/**
 * A limit shared by every proxy that applies the same RateLimitPolicy (its {@code global} field).
 *
 * @param requestsPerUnit how many requests all those proxies together admit per {@code unit}
 * @param unit the unit of time: one second, minute or hour
 * @param failureMode what the proxies do while the shared counters cannot be reached
 * @param shadow only count what would be limited, limit nothing
 */
public record GlobalLimitSpec(long requestsPerUnit, Duration unit, FailureMode failureMode, boolean shadow) {
    public GlobalLimitSpec {
        if (requestsPerUnit < 1) {
            throw new IllegalArgumentException("global.requestsPerUnit: must be at least 1, but was " + requestsPerUnit);
        }
        if (unit == null || unit.toMillis() < 1) {
            throw new IllegalArgumentException("global.unit: must be a positive duration, but was " + unit);
        }
        if (failureMode == null) {
            throw new IllegalArgumentException("global.failureMode: must be FAIL_OPEN or FAIL_CLOSED");
        }
    }

    /** The spec of a RateLimitPolicy's {@code global} field. */
    public static GlobalLimitSpec of(GlobalRateLimit global, boolean shadow) {
        var unit = switch (global.getUnit()) {
            case SECOND -> Duration.ofSeconds(1);
            case MINUTE -> Duration.ofMinutes(1);
            case HOUR -> Duration.ofHours(1);
        };
        var mode = global.getFailureMode() == GlobalRateLimitFailureMode.FAIL_CLOSED
                ? FailureMode.FAIL_CLOSED : FailureMode.FAIL_OPEN;
        return new GlobalLimitSpec(global.getRequestsPerUnit(), unit, mode, shadow);
    }

    /** The global limit as requests per second. */
    public double perSecond() {
        return requestsPerUnit * 1000.0 / unit.toMillis();
    }

    /** What a proxy does while it cannot exchange demand with the other proxies. */
    public enum FailureMode {
        /** Admit every request (the global limit is not enforced meanwhile). */
        FAIL_OPEN,
        /** Refuse every request with 429 RL. */
        FAIL_CLOSED
    }
}
