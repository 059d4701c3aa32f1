package io.meshlog.proxy.identity;

import io.meshlog.schemas.v1.RejectionReason;

/** cert-service refused this proxy's certificate request; the message is cert-service's, verbatim. */
public final class IdentityRejectedException extends RuntimeException {
    private final RejectionReason reason;

    public IdentityRejectedException(RejectionReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RejectionReason reason() {
        return reason;
    }
}
