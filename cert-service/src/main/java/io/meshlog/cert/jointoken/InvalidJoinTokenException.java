package io.meshlog.cert.jointoken;

import io.meshlog.schemas.v1.RejectionReason;

/** A join token that cannot be accepted; the message is safe to publish (no secrets in it). */
public final class InvalidJoinTokenException extends RuntimeException {
    private final RejectionReason reason;

    InvalidJoinTokenException(RejectionReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** BAD_TOKEN, EXPIRED_TOKEN or REVOKED_TOKEN. */
    public RejectionReason reason() {
        return reason;
    }
}
