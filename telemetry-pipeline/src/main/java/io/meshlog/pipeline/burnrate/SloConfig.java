package io.meshlog.pipeline.burnrate;

import io.meshlog.pipeline.config.ConfigException;
import io.meshlog.policy.validate.SloWindowRules;
import io.meshlog.schemas.v1.AlertSeverity;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.ServiceLevelObjectiveSpec;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One ServiceLevelObjective, parsed.
 *
 * @param namespace the policy's namespace
 * @param name the policy's name
 * @param service the destination service it is about
 * @param target percentage of good requests, in (0, 100)
 * @param window the SLO window (30 days by default)
 * @param badStatusClasses statuses that are bad: classes such as {@code 5xx} or codes such as {@code 429}
 * @param latencyThresholdMillis a request slower than this is bad; -1 when latency does not count
 * @param rules the burn-rate rules (the SRE workbook's four, scaled to the window, when the policy has none)
 */
public record SloConfig(String namespace, String name, String service, double target, Duration window,
        Set<String> badStatusClasses, long latencyThresholdMillis, List<BurnRateRule> rules) {
    private static final Duration THIRTY_DAYS = Duration.ofDays(30);

    public SloConfig {
        String where = "ServiceLevelObjective " + namespace + "/" + name;
        ConfigException.require(target > 0 && target < 100, where + " target",
                "must be a percentage between 0 and 100 (exclusive), but was " + target);
        ConfigException.require(window != null, where + " window", "must be set");
        // The same rule the policy API refuses with, so an accepted SLO is never dropped here.
        SloWindowRules.windowProblem(window.toMillis()).ifPresent(problem -> {
            throw new ConfigException(where + " window", problem);
        });
        for (var c : badStatusClasses) {
            ConfigException.require(c.matches("[1-5]xx|[1-5][0-9][0-9]|0"), where + " badStatusClasses",
                    "entries must look like 5xx or 503, but one was '" + c + "'");
        }
        ConfigException.require(!rules.isEmpty(), where + " burnRateRules", "must not be empty");
        badStatusClasses = Set.copyOf(badStatusClasses);
        rules = List.copyOf(rules);
    }

    /** The SLO of a ServiceLevelObjective policy. */
    public static SloConfig from(PolicyEvent policy) {
        var spec = (ServiceLevelObjectiveSpec) policy.getSpec();
        var window = Duration.ofMillis(spec.getWindow());
        List<BurnRateRule> rules = spec.getBurnRateRules().isEmpty() ? defaultRules(window)
                : spec.getBurnRateRules().stream().map(r -> new BurnRateRule(r.getSeverity(),
                        Duration.ofMillis(r.getLongWindow()), Duration.ofMillis(r.getShortWindow()),
                        r.getFactor())).toList();
        return new SloConfig(policy.getNamespace(), policy.getName(), spec.getService(), spec.getTarget(),
                window, Set.copyOf(spec.getBadStatusClasses()),
                spec.getLatencyThreshold() == null ? -1 : spec.getLatencyThreshold(), rules);
    }

    /**
     * The Google SRE workbook's rules for a 30-day SLO (page: 1h/5m above 14.4, 6h/30m above 6;
     * ticket: 1d/2h above 3, 3d/6h above 1), with factors scaled to {@code window} so each rule
     * still means the same share of the error budget.
     */
    public static List<BurnRateRule> defaultRules(Duration window) {
        double scale = (double) window.toMillis() / THIRTY_DAYS.toMillis();
        return List.of(
                new BurnRateRule(AlertSeverity.PAGE, Duration.ofHours(1), Duration.ofMinutes(5), 14.4 * scale),
                new BurnRateRule(AlertSeverity.PAGE, Duration.ofHours(6), Duration.ofMinutes(30), 6 * scale),
                new BurnRateRule(AlertSeverity.TICKET, Duration.ofDays(1), Duration.ofHours(2), 3 * scale),
                new BurnRateRule(AlertSeverity.TICKET, Duration.ofDays(3), Duration.ofHours(6), 1 * scale));
    }

    /** {@code namespace/name}. */
    public String key() {
        return namespace + "/" + name;
    }

    /** The share of requests that may be bad, e.g. 0.001 for 99.9. */
    public double errorBudget() {
        return 1 - target / 100;
    }

    /** Whether a request with this status and duration counts against the SLO. */
    public boolean isBad(int status, long durationMicros) {
        if (latencyThresholdMillis >= 0 && durationMicros > latencyThresholdMillis * 1000) {
            return true;
        }
        if (status == 0) {
            // No response at all (connect failure, reset, timeout) is a server-side failure.
            return badStatusClasses.contains("5xx") || badStatusClasses.contains("0");
        }
        // Per request: compare the validated spellings (5xx, 503) without building strings.
        for (var c : badStatusClasses) {
            if (c.length() == 3 && (c.charAt(1) == 'x'
                    ? status / 100 == c.charAt(0) - '0'
                    : status == (c.charAt(0) - '0') * 100 + (c.charAt(1) - '0') * 10 + (c.charAt(2) - '0'))) {
                return true;
            }
        }
        return false;
    }
}
