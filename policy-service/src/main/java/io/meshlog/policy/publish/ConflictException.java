package io.meshlog.policy.publish;

/** A write based on a generation that is no longer the current one (HTTP 409). */
public final class ConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}
