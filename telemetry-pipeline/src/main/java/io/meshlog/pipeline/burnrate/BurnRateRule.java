package io.meshlog.pipeline.burnrate;

import io.meshlog.pipeline.config.ConfigException;
import io.meshlog.schemas.v1.AlertSeverity;
import java.time.Duration;

/**
 * One pair of a multiwindow burn-rate alert: fires while the burn rate over both windows is
 * above {@code factor}.
 *
 * @param severity PAGE or TICKET
 * @param longWindow the long window (whole minutes)
 * @param shortWindow the short window (whole minutes, at most the long one)
 * @param factor the burn rate both windows must exceed
 */
public record BurnRateRule(AlertSeverity severity, Duration longWindow, Duration shortWindow, double factor) {
    public BurnRateRule {
        ConfigException.require(severity != null, "burnRateRules.severity", "must be set");
        ConfigException.require(longWindow != null && longWindow.toMinutes() >= 1
                        && longWindow.toMillis() % 60_000 == 0, "burnRateRules.longWindow",
                "must be a whole number of minutes, at least one, but was " + longWindow);
        ConfigException.require(shortWindow != null && shortWindow.toMinutes() >= 1
                        && shortWindow.toMillis() % 60_000 == 0 && shortWindow.compareTo(longWindow) <= 0,
                "burnRateRules.shortWindow",
                "must be whole minutes, at least one and at most the long window, but was " + shortWindow);
        ConfigException.require(factor > 0, "burnRateRules.factor", "must be positive, but was " + factor);
    }
}
