package io.meshlog.policy.validate;

import java.util.List;

/** A document that parses but breaks rules (HTTP 422); carries every violation. */
public final class PolicyValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<Violation> violations;

    public PolicyValidationException(String message, List<Violation> violations) {
        super(message);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
