package io.meshlog.cert.config;

import java.time.Duration;
import java.util.regex.Pattern;

/** Parses operator durations: {@code 90s}, {@code 15m}, {@code 1h}, {@code 7d}, or ISO-8601 {@code PT1H}. */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {}

    /**
     * @param path the setting or option being parsed, named in the error
     * @param text the text to parse
     */
    public static Duration parse(String path, String text) {
        if (text == null || text.isBlank()) {
            throw new ConfigException(path, "must be a duration such as 10s, 15m, 1h or 7d, but was empty");
        }
        var trimmed = text.trim();
        var matcher = SHORT.matcher(trimmed);
        try {
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
            return Duration.parse(trimmed);
        } catch (RuntimeException e) {
            throw new ConfigException(path,
                    "must be a duration such as 10s, 15m, 1h or 7d, but was '" + trimmed + "'");
        }
    }
}
