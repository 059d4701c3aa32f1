package io.meshlog.policy.validate;

import io.meshlog.policy.model.Durations;
import java.util.Optional;

/**
 * The SLO windows the telemetry pipeline can honour, in one place: the policy API refuses the
 * others with this reason, and the pipeline checks the same rule, so no accepted SLO is dropped
 * there. The error budget is counted in hour buckets over the window; burn rates in minute buckets.
 */
public final class SloWindowRules {
    /** The longest SLO window: 90 days of hour buckets per SLO. */
    public static final long MAX_WINDOW_MILLIS = 90L * 86_400_000L;
    private static final long HOUR = 3_600_000L;
    private static final long MINUTE = 60_000L;

    private SloWindowRules() {}

    /** Why the pipeline cannot honour an SLO {@code window}, or empty when it can. */
    public static Optional<String> windowProblem(long windowMillis) {
        if (windowMillis < HOUR || windowMillis % HOUR != 0 || windowMillis > MAX_WINDOW_MILLIS) {
            return Optional.of("must be a whole number of hours from 1h to 90d (the pipeline counts the error budget "
                    + "in hour buckets), but was " + Durations.format(windowMillis));
        }
        return Optional.empty();
    }

    /** Why the pipeline cannot honour a burn-rate rule's {@code long}/{@code short} window, or empty. */
    public static Optional<String> burnWindowProblem(long windowMillis, long sloWindowMillis) {
        if (windowMillis < MINUTE || windowMillis % MINUTE != 0) {
            return Optional.of("must be a whole number of minutes, at least 1m (burn rates are counted in minute "
                    + "buckets), but was " + Durations.format(windowMillis));
        }
        if (windowMillis > sloWindowMillis) {
            return Optional.of("must not be longer than the SLO window (" + Durations.format(sloWindowMillis)
                    + "), but was " + Durations.format(windowMillis));
        }
        return Optional.empty();
    }
}
