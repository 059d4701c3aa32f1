package io.meshlog.policy.publish;

/** No such policy, or no such generation of it (HTTP 404). */
public final class NotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }
}
