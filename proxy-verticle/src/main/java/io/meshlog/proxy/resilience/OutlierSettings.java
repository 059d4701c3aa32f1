package io.meshlog.proxy.resilience;

import java.time.Duration;

/**
 * Istio's OutlierDetection for local ejection. {@link #DEFAULT} holds Istio's defaults for the fields
 * an {@code outlierDetection} block leaves out; a destination without such a block (in its own
 * DestinationRule or the mesh-wide one) gets {@link #DISABLED}, as in Istio.
 *
 * @param consecutive5xxErrors 5xx (and locally originated failures) in a row that eject; 0 disables
 * @param consecutiveGatewayErrors 502/503/504 (and connect failures, timeouts) in a row that eject; 0 disables
 * @param interval how long an endpoint must stay healthy for its ejection multiplier to drop by one
 * @param baseEjectionTime ejection time, multiplied by the number of times the endpoint was ejected
 * @param maxEjectionTime the longest an ejection lasts
 * @param maxEjectionPercent most endpoints of a service ejected at once, but always at least one
 * @param minHealthPercent below this share of healthy endpoints the proxy panics: routes to all
 */
public record OutlierSettings(
        int consecutive5xxErrors, int consecutiveGatewayErrors, Duration interval, Duration baseEjectionTime,
        Duration maxEjectionTime, int maxEjectionPercent, int minHealthPercent) {
    public static final int DEFAULT_CONSECUTIVE_5XX = 5;
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_BASE_EJECTION_TIME = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_EJECTION_TIME = Duration.ofSeconds(300);
    public static final int DEFAULT_MAX_EJECTION_PERCENT = 10;
    public static final OutlierSettings DEFAULT = new OutlierSettings(DEFAULT_CONSECUTIVE_5XX, 0, DEFAULT_INTERVAL,
            DEFAULT_BASE_EJECTION_TIME, DEFAULT_MAX_EJECTION_TIME, DEFAULT_MAX_EJECTION_PERCENT, 0);
    /** No outlier detection: no detector counts, nothing is ejected, no panic threshold. */
    public static final OutlierSettings DISABLED = new OutlierSettings(0, 0, DEFAULT_INTERVAL,
            DEFAULT_BASE_EJECTION_TIME, DEFAULT_MAX_EJECTION_TIME, DEFAULT_MAX_EJECTION_PERCENT, 0);

    public OutlierSettings {
        require(consecutive5xxErrors >= 0, "consecutive5xxErrors", "must not be negative, but was " + consecutive5xxErrors);
        require(consecutiveGatewayErrors >= 0, "consecutiveGatewayErrors", "must not be negative, but was " + consecutiveGatewayErrors);
        require(positive(interval), "interval", "must be a positive duration, but was " + interval);
        require(positive(baseEjectionTime), "baseEjectionTime", "must be a positive duration, but was " + baseEjectionTime);
        require(positive(maxEjectionTime), "maxEjectionTime", "must be a positive duration, but was " + maxEjectionTime);
        require(maxEjectionPercent >= 0 && maxEjectionPercent <= 100, "maxEjectionPercent", "must be between 0 and 100, but was " + maxEjectionPercent);
        require(minHealthPercent >= 0 && minHealthPercent <= 100, "minHealthPercent", "must be between 0 and 100, but was " + minHealthPercent);
    }

    /** Whether any detector is on (a consecutive-error count above 0). */
    public boolean enabled() {
        return consecutive5xxErrors > 0 || consecutiveGatewayErrors > 0;
    }

    private static boolean positive(Duration duration) {
        return duration != null && !duration.isNegative() && !duration.isZero();
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new IllegalArgumentException("outlierDetection." + field + ": " + message);
        }
    }
}
