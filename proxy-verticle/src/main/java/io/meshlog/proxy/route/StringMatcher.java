package io.meshlog.proxy.route;

import java.util.regex.Pattern;

/** Istio's StringMatch: exact, prefix, regex (RE2-like, whole value), or present. */
public sealed interface StringMatcher {
    /** Whether {@code value} (null when absent) matches. */
    boolean matches(String value);

    record Exact(String expected, boolean ignoreCase) implements StringMatcher {
        @Override
        public boolean matches(String value) {
            return value != null && (ignoreCase ? expected.equalsIgnoreCase(value) : expected.equals(value));
        }
    }

    record Prefix(String prefix, boolean ignoreCase) implements StringMatcher {
        @Override
        public boolean matches(String value) {
            return value != null && value.regionMatches(ignoreCase, 0, prefix, 0, prefix.length());
        }
    }

    record Regex(Pattern pattern) implements StringMatcher {
        @Override
        public boolean matches(String value) {
            return value != null && pattern.matcher(value).matches();
        }
    }

    /** {@code present: true} matches any value; {@code present: false} matches an absent one. */
    record Present(boolean present) implements StringMatcher {
        @Override
        public boolean matches(String value) {
            return (value != null) == present;
        }
    }
}
