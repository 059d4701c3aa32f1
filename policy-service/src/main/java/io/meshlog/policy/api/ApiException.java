package io.meshlog.policy.api;

import io.meshlog.policy.validate.Violation;
import java.util.List;

/** An answer other than success, with its HTTP status and any violations. */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final transient List<Violation> violations;

    public ApiException(int status, String message, List<Violation> violations) {
        super(message);
        this.status = status;
        this.violations = List.copyOf(violations);
    }

    public ApiException(int status, String message) {
        this(status, message, List.of());
    }

    public int status() {
        return status;
    }

    public List<Violation> violations() {
        return violations;
    }
}
