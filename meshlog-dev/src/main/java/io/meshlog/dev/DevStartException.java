package io.meshlog.dev;

/** Something the user can fix stopped {@code meshlog dev}; the message says what. */
final class DevStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DevStartException(String message) {
        super(message);
    }

    DevStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
