package io.meshlog.cert.csr;

import io.meshlog.schemas.v1.RejectionReason;

/**
 * A certificate request refused for {@link #reason()}; the message goes verbatim into
 * CertificateRejected and the proxy's log, so it never contains a secret.
 */
public final class CsrRejectedException extends RuntimeException {
    private final RejectionReason reason;

    public CsrRejectedException(RejectionReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RejectionReason reason() {
        return reason;
    }
}
