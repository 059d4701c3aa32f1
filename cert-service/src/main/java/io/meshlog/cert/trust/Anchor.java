package io.meshlog.cert.trust;

import io.meshlog.schemas.v1.AnchorRole;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * A root the mesh trusts, with its role in a rotation.
 *
 * @param certificate the root certificate
 * @param role CURRENT (signs now), NEXT (will sign after the switch), RETIRING (signed before it)
 */
public record Anchor(X509Certificate certificate, AnchorRole role) {
    /** SHA-256 of the DER certificate, lowercase hex. */
    public String fingerprint() {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
