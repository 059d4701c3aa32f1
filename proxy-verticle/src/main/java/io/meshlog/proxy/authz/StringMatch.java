package io.meshlog.proxy.authz;

import java.util.List;
import java.util.Locale;

/**
 * Istio's string match of AuthorizationPolicy fields: exact, {@code prefix*}, {@code *suffix},
 * or {@code *} (any non-empty value: "*" means "present", so a plaintext request's empty principal
 * matches nothing).
 */
final class StringMatch {
    private StringMatch() {}

    static boolean matches(String pattern, String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.length() > 1 && pattern.endsWith("*")) {
            return value.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        if (pattern.length() > 1 && pattern.startsWith("*")) {
            return value.endsWith(pattern.substring(1));
        }
        return pattern.equals(value);
    }

    static boolean any(List<String> patterns, String value) {
        for (var pattern : patterns) {
            if (matches(pattern, value)) {
                return true;
            }
        }
        return false;
    }

    /** Hosts compare without case, as DNS names do. */
    static boolean anyHost(List<String> patterns, String host) {
        var lowerHost = host.toLowerCase(Locale.ROOT);
        for (var pattern : patterns) {
            if (matches(pattern.toLowerCase(Locale.ROOT), lowerHost)) {
                return true;
            }
        }
        return false;
    }

    /** Principals compare in Istio's form, {@code td/ns/x/sa/y}, whether written with spiffe:// or not. */
    static String principal(String value) {
        return value.startsWith("spiffe://") ? value.substring("spiffe://".length()) : value;
    }

    static boolean anyPrincipal(List<String> patterns, String principal) {
        var normalized = principal(principal);
        for (var pattern : patterns) {
            if (matches(principal(pattern), normalized)) {
                return true;
            }
        }
        return false;
    }
}
