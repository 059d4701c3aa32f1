package io.meshlog.pipeline.outlier;

import io.meshlog.pipeline.config.ConfigException;
import io.meshlog.schemas.v1.OutlierDetection;
import java.time.Duration;

/**
 * Outlier detection settings of one destination, from an {@code outlierDetection} block (see
 * {@link RuleOutlierSettings} for which block applies; without one detection is off); every field
 * the block leaves out takes Istio's (or, for the Envoy fields Istio does not expose, Envoy's) default.
 *
 * @param consecutive5xxErrors 5xx (or no response) in a row that eject; 0 disables
 * @param consecutiveGatewayErrors 502/503/504 (or no response) in a row that eject; 0 disables
 * @param interval how often success rate and failure percentage are evaluated
 * @param baseEjectionTime ejection time of a first ejection; the n-th lasts n times this
 * @param maxEjectionTime cap of one ejection (at least {@code baseEjectionTime})
 * @param maxEjectionPercent most endpoints of the service ejected at once, in percent (one always may be)
 * @param minHealthPercent ejection stops while fewer than this percent would stay healthy
 * @param successRateMinimumHosts endpoints with enough volume needed for success-rate detection
 * @param successRateRequestVolume requests an endpoint needs in an interval to count for success rate
 * @param successRateStdevFactor ejected when below mean - factor × stdev (Envoy's factor / 1000)
 * @param failurePercentageThreshold ejected when failures are at least this percent; -1 disables
 * @param failurePercentageMinimumHosts endpoints with enough volume needed for failure percentage
 * @param failurePercentageRequestVolume requests an endpoint needs in an interval for failure percentage
 */
public record OutlierDetectionConfig(
        int consecutive5xxErrors,
        int consecutiveGatewayErrors,
        Duration interval,
        Duration baseEjectionTime,
        Duration maxEjectionTime,
        int maxEjectionPercent,
        int minHealthPercent,
        int successRateMinimumHosts,
        int successRateRequestVolume,
        double successRateStdevFactor,
        int failurePercentageThreshold,
        int failurePercentageMinimumHosts,
        int failurePercentageRequestVolume) {
    /** Istio's defaults (success rate with Envoy's; failure percentage off). */
    public static final OutlierDetectionConfig DEFAULTS = new OutlierDetectionConfig(5, 0,
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(300), 10, 0, 5, 100,
            1.9, -1, 5, 50);

    public OutlierDetectionConfig {
        ConfigException.require(consecutive5xxErrors >= 0, "outlierDetection.consecutive5xxErrors",
                "must be 0 (off) or more, but was " + consecutive5xxErrors);
        ConfigException.require(consecutiveGatewayErrors >= 0,
                "outlierDetection.consecutiveGatewayErrors",
                "must be 0 (off) or more, but was " + consecutiveGatewayErrors);
        ConfigException.require(interval != null && interval.toMillis() > 0,
                "outlierDetection.interval", "must be a positive duration, but was " + interval);
        ConfigException.require(baseEjectionTime != null && baseEjectionTime.toMillis() > 0,
                "outlierDetection.baseEjectionTime",
                "must be a positive duration, but was " + baseEjectionTime);
        ConfigException.require(maxEjectionTime != null && maxEjectionTime.toMillis() > 0,
                "outlierDetection.maxEjectionTime",
                "must be a positive duration, but was " + maxEjectionTime);
        ConfigException.require(maxEjectionPercent >= 0 && maxEjectionPercent <= 100,
                "outlierDetection.maxEjectionPercent",
                "must be between 0 and 100, but was " + maxEjectionPercent);
        ConfigException.require(minHealthPercent >= 0 && minHealthPercent <= 100,
                "outlierDetection.minHealthPercent",
                "must be between 0 and 100, but was " + minHealthPercent);
        ConfigException.require(successRateMinimumHosts >= 1,
                "outlierDetection.successRateMinimumHosts",
                "must be at least 1, but was " + successRateMinimumHosts);
        ConfigException.require(successRateRequestVolume >= 1,
                "outlierDetection.successRateRequestVolume",
                "must be at least 1, but was " + successRateRequestVolume);
        ConfigException.require(successRateStdevFactor >= 0,
                "outlierDetection.successRateStdevFactor",
                "must not be negative, but was " + successRateStdevFactor);
        ConfigException.require(failurePercentageThreshold >= -1 && failurePercentageThreshold <= 100,
                "outlierDetection.failurePercentageThreshold",
                "must be between 0 and 100 (or absent), but was " + failurePercentageThreshold);
        ConfigException.require(failurePercentageMinimumHosts >= 1,
                "outlierDetection.failurePercentageMinimumHosts",
                "must be at least 1, but was " + failurePercentageMinimumHosts);
        ConfigException.require(failurePercentageRequestVolume >= 1,
                "outlierDetection.failurePercentageRequestVolume",
                "must be at least 1, but was " + failurePercentageRequestVolume);
    }

    /** The given fields over the defaults. */
    public static OutlierDetectionConfig from(OutlierDetection od) {
        var d = DEFAULTS;
        return new OutlierDetectionConfig(
                or(od.getConsecutive5xxErrors(), d.consecutive5xxErrors),
                or(od.getConsecutiveGatewayErrors(), d.consecutiveGatewayErrors),
                or(od.getInterval(), d.interval),
                or(od.getBaseEjectionTime(), d.baseEjectionTime),
                or(od.getMaxEjectionTime(), d.maxEjectionTime),
                or(od.getMaxEjectionPercent(), d.maxEjectionPercent),
                or(od.getMinHealthPercent(), d.minHealthPercent),
                or(od.getSuccessRateMinimumHosts(), d.successRateMinimumHosts),
                or(od.getSuccessRateRequestVolume(), d.successRateRequestVolume),
                od.getSuccessRateStdevFactor() == null ? d.successRateStdevFactor
                        : od.getSuccessRateStdevFactor(),
                or(od.getFailurePercentageThreshold(), d.failurePercentageThreshold),
                or(od.getFailurePercentageMinimumHosts(), d.failurePercentageMinimumHosts),
                or(od.getFailurePercentageRequestVolume(), d.failurePercentageRequestVolume));
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static Duration or(Long millis, Duration fallback) {
        return millis == null ? fallback : Duration.ofMillis(millis);
    }

    /** How long the {@code ejectionCount}-th ejection lasts: base × count, capped. */
    public Duration ejectionTime(int ejectionCount) {
        long base = baseEjectionTime.toMillis();
        long cap = Math.max(maxEjectionTime.toMillis(), base);
        long wanted = base * Math.max(1, ejectionCount);
        return Duration.ofMillis(Math.min(wanted, cap));
    }

    /** An endpoint not seen for this long no longer counts towards the service's endpoint count. */
    public long recentMillis() {
        return Math.max(30_000, 3 * interval.toMillis());
    }
}
