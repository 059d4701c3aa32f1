package io.meshlog.policy.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Collects violations of one document, looking up each path's line. */
final class Checks {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
    private static final Pattern LABEL_PREFIX = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private final ToIntFunction<String> lines;
    private final List<Violation> violations = new ArrayList<>();

    Checks(ToIntFunction<String> lines) {
        this.lines = lines;
    }

    List<Violation> violations() {
        return List.copyOf(violations);
    }

    void error(String path, String message) {
        violations.add(Violation.error(path, lines.applyAsInt(path), message));
    }

    /** An Istio field accepted but not enforced, with its stable analyze code. */
    void notEnforced(String path, String code, String why) {
        violations.add(Violation.notEnforced(path, lines.applyAsInt(path), code, why));
    }

    void warning(String path, String message) {
        violations.add(Violation.warning(path, lines.applyAsInt(path), message));
    }

    void require(boolean ok, String path, String message) {
        if (!ok) {
            error(path, message);
        }
    }

    void range(Number value, double min, double max, String path) {
        if (value != null && (value.doubleValue() < min || value.doubleValue() > max)) {
            error(path, "must be between " + fmt(min) + " and " + fmt(max) + ", but was " + value);
        }
    }

    void atLeast(Number value, double min, String path) {
        if (value != null && value.doubleValue() < min) {
            error(path, "must be at least " + fmt(min) + ", but was " + value);
        }
    }

    void dnsLabel(String value, String path) {
        if (value == null) {
            return;
        }
        if (value.length() > 63 || !DNS_LABEL.matcher(value).matches()) {
            error(path, "must be a DNS-1123 label (lowercase letters, digits and '-', starting and "
                    + "ending with a letter or digit, at most 63 characters), but was \"" + value + "\"");
        }
    }

    void labels(Map<String, String> labels, String path) {
        if (labels == null) {
            return;
        }
        labels.forEach((key, value) -> {
            var slash = key.indexOf('/');
            var prefix = slash < 0 ? null : key.substring(0, slash);
            var name = slash < 0 ? key : key.substring(slash + 1);
            var keyOk = !name.isEmpty() && name.length() <= 63 && LABEL_NAME.matcher(name).matches()
                    && (prefix == null || (prefix.length() <= 253 && LABEL_PREFIX.matcher(prefix).matches()));
            if (!keyOk) {
                error(path + "." + key, "is not a valid label key: [prefix/]name, name of at most 63 "
                        + "letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
            }
            if (value.length() > 63 || !LABEL_NAME.matcher(value).matches()) {
                error(path + "." + key, "is not a valid label value: at most 63 letters, digits, '-', '_' "
                        + "or '.', starting and ending with a letter or digit, but was \"" + value + "\"");
            }
        });
    }

    void regex(String regex, String path) {
        if (regex == null) {
            return;
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            error(path, "is not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex());
        }
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
