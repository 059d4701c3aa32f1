package io.meshlog.proxy.telemetry;

import io.meshlog.proxy.config.ConfigException;
import java.time.Duration;

/**
 * Which successful requests a proxy reports one by one. Failures (status 0, 1xx, 4xx, 5xx or any
 * response flag), retries, retries refused by a budget and requests at or above
 * {@code slowThreshold} are always sent alone; of the other requests, {@code successPercent}
 * percent are sent, each carrying in its {@code weight} the alike successes folded into it
 * ({@link SuccessSampler}), so the pipeline's counts stay exact.
 *
 * @param successPercent share of plain successes sent, in (0, 100]; 100 sends every event (off)
 * @param slowThreshold a request this slow or slower is always sent; set it at or below the
 *     smallest latency threshold of any SLO or Canary so that every request those count as bad
 *     is reported with its own duration
 */
public record TelemetrySampling(double successPercent, Duration slowThreshold) {
    /** Requests at least this slow are always sent. */
    public static final Duration DEFAULT_SLOW_THRESHOLD = Duration.ofMillis(100);
    /** Sampling off: every event is sent. */
    public static final TelemetrySampling OFF = new TelemetrySampling(100, null);

    public TelemetrySampling {
        ConfigException.require(successPercent > 0 && successPercent <= 100, "telemetry.sampling.successes.percent",
                "must be above 0 and at most 100, but was " + successPercent);
        slowThreshold = slowThreshold == null ? DEFAULT_SLOW_THRESHOLD : slowThreshold;
        ConfigException.require(slowThreshold.toNanos() > 0, "telemetry.sampling.slow.threshold",
                "must be a positive duration, but was " + slowThreshold);
    }

    /** Whether some successes are folded into others. */
    public boolean enabled() {
        return successPercent < 100;
    }
}
