package io.meshlog.policy.model;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The one duration syntax of meshlog, Istio's: "250ms", "10s", "1.5s", "1h", "1h30m", and "30d"
 * for the long windows of SLOs. Policy documents, the proxy's settings, cert-service's options and
 * meshctl's flags all read durations here; a bare number is refused (its unit would be a guess).
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d))+");

    private Durations() {}

    /**
     * Milliseconds of {@code text}.
     *
     * @throws IllegalArgumentException with a message saying what was expected
     */
    public static long parseMillis(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException("must be a duration such as \"250ms\", \"10s\", \"1.5s\" or \"1h\", but was \""
                    + text + "\"");
        }
        var matcher = PART.matcher(text);
        var total = BigDecimal.ZERO;
        while (matcher.find()) {
            var unit = switch (matcher.group(2)) {
                case "ms" -> 1L;
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                default -> 86_400_000L;
            };
            total = total.add(new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(unit)));
        }
        if (total.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("must be a whole number of milliseconds, but was \"" + text + "\"");
        }
        if (total.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 2)) > 0) {
            throw new IllegalArgumentException("is too long: \"" + text + "\"");
        }
        return total.longValueExact();
    }

    /**
     * {@code text} as a {@link Duration}.
     *
     * @throws IllegalArgumentException with a message saying what was expected
     */
    public static Duration parse(String text) {
        return Duration.ofMillis(parseMillis(text == null ? null : text.trim()));
    }

    /** The shortest exact text for {@code millis}: "250ms", "10s", "1.5s", "2m", "1h", "30d". */
    public static String format(long millis) {
        if (millis != 0 && millis % 86_400_000L == 0) {
            return millis / 86_400_000L + "d";
        }
        if (millis != 0 && millis % 3_600_000L == 0) {
            return millis / 3_600_000L + "h";
        }
        if (millis != 0 && millis % 60_000L == 0) {
            return millis / 60_000L + "m";
        }
        if (millis >= 1000) {
            return BigDecimal.valueOf(millis).movePointLeft(3).stripTrailingZeros().toPlainString() + "s";
        }
        return millis + "ms";
    }
}
