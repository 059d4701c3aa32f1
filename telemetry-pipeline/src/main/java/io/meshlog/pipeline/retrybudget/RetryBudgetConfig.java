package io.meshlog.pipeline.retrybudget;

import io.meshlog.pipeline.config.ConfigException;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.RetryBudgetSpec;
import java.time.Duration;

/**
 * A destination service's retry budget (Linkerd's model): over a sliding {@code ttl}, retries may
 * be {@code retryRatio × original requests + minRetriesPerSecond × ttl seconds}.
 *
 * @param retryRatio retries allowed per original request
 * @param minRetriesPerSecond retries always allowed per second, whatever the traffic
 * @param ttl the sliding window
 */
public record RetryBudgetConfig(double retryRatio, int minRetriesPerSecond, Duration ttl) {
    /** 0.2, 10/s over 10 s. */
    public static final RetryBudgetConfig DEFAULTS = new RetryBudgetConfig(0.2, 10, Duration.ofSeconds(10));

    public RetryBudgetConfig {
        ConfigException.require(retryRatio >= 0 && retryRatio <= 1000, "retryBudget.retryRatio",
                "must be between 0 and 1000, but was " + retryRatio);
        ConfigException.require(minRetriesPerSecond >= 0, "retryBudget.minRetriesPerSecond",
                "must not be negative, but was " + minRetriesPerSecond);
        ConfigException.require(ttl != null && ttl.toMillis() >= 10, "retryBudget.ttl",
                "must be at least 10 ms, but was " + ttl);
    }

    /** The settings of a RetryBudget policy, or the defaults when there is none. */
    public static RetryBudgetConfig from(PolicyEvent policy) {
        if (policy == null || !(policy.getSpec() instanceof RetryBudgetSpec spec)) {
            return DEFAULTS;
        }
        return new RetryBudgetConfig(spec.getRetryRatio(), spec.getMinRetriesPerSecond(),
                Duration.ofMillis(spec.getTtl()));
    }

    /** The formula: retries allowed over the window for {@code originalRequests}, rounded down. */
    public long allowedRetries(long originalRequests) {
        return (long) Math.floor(retryRatio * originalRequests
                + minRetriesPerSecond * (ttl.toMillis() / 1000.0));
    }
}
