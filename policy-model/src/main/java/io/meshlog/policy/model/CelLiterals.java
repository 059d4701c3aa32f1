package io.meshlog.policy.model;

import java.util.Optional;

/**
 * Istio's {@code tagOverrides[].value} is a CEL expression; meshlog evaluates only its simplest
 * form, a string literal ({@code 'v1'} or {@code "v1"}), so the validator and the proxy agree on
 * which values are applied and which are warned about.
 */
public final class CelLiterals {
    private CelLiterals() {}

    /** The literal's text, or empty when {@code expression} is anything but one quoted string. */
    public static Optional<String> stringLiteral(String expression) {
        if (expression == null) {
            return Optional.empty();
        }
        var text = expression.trim();
        if (text.length() < 2) {
            return Optional.empty();
        }
        char quote = text.charAt(0);
        if ((quote != '\'' && quote != '"') || text.charAt(text.length() - 1) != quote) {
            return Optional.empty();
        }
        var inner = text.substring(1, text.length() - 1);
        // an escape or a second quote means a more complex expression ('a' + 'b'), not one literal
        return inner.indexOf(quote) >= 0 || inner.indexOf('\\') >= 0 ? Optional.empty() : Optional.of(inner);
    }
}
