package io.meshlog.proxy.config;

import java.time.Duration;

/** Reads Istio-style durations ({@code 250ms}, {@code 10s}, {@code 1.5s}, {@code 5m}, {@code 1h}). */
public final class DurationParser {
    private DurationParser() {}

    /** Parses {@code text}; a bare number is milliseconds. Throws a {@link ConfigException} at {@code path}. */
    public static Duration parse(String text, String path) {
        var value = text.trim();
        try {
            if (value.endsWith("ms")) {
                return Duration.ofNanos(Math.round(Double.parseDouble(value.substring(0, value.length() - 2)) * 1e6));
            }
            if (value.endsWith("us")) {
                return Duration.ofNanos(Math.round(Double.parseDouble(value.substring(0, value.length() - 2)) * 1e3));
            }
            long unitNanos = switch (value.charAt(value.length() - 1)) {
                case 's' -> 1_000_000_000L;
                case 'm' -> 60_000_000_000L;
                case 'h' -> 3_600_000_000_000L;
                default -> 0;
            };
            if (unitNanos == 0) {
                return Duration.ofMillis(Long.parseLong(value));
            }
            double amount = Double.parseDouble(value.substring(0, value.length() - 1));
            return Duration.ofNanos(Math.round(amount * unitNanos));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new ConfigException(path, "must be a duration like 250ms, 10s, 5m or a number of milliseconds, but was '" + text + "'");
        }
    }
}
