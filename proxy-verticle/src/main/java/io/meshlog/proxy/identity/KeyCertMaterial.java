package io.meshlog.proxy.identity;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a listener needs for mTLS right now: this workload's private key and certificate chain, the
 * trust anchors of the mesh and the revoked serials. Immutable; a new one is made on every renewal
 * or trust bundle change. The key exists only in this process's memory and is never printed.
 *
 * @param spiffeId this workload's identity (the certificate's URI SAN)
 * @param privateKeyPem PKCS#8 PEM ("PRIVATE KEY") of the workload key
 * @param certificateChainPem leaf first, then intermediates
 * @param trustAnchorPems every root of the current trust bundle (CURRENT, NEXT and RETIRING)
 * @param revokedSerials revoked certificate serials, lowercase hex
 * @param serial this certificate's serial, lowercase hex
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param trustBundleVersion version of the bundle the anchors came from
 */
public record KeyCertMaterial(
        SpiffeId spiffeId,
        String privateKeyPem,
        String certificateChainPem,
        List<String> trustAnchorPems,
        Set<String> revokedSerials,
        String serial,
        Instant notBefore,
        Instant notAfter,
        long trustBundleVersion) {

    public KeyCertMaterial {
        trustAnchorPems = List.copyOf(trustAnchorPems);
        revokedSerials = Set.copyOf(revokedSerials);
    }

    /** The chain, parsed. */
    public List<X509Certificate> chain() {
        return parse(certificateChainPem);
    }

    /** The trust anchors, parsed. */
    public List<X509Certificate> trustAnchors() {
        var anchors = new ArrayList<X509Certificate>();
        for (var pem : trustAnchorPems) {
            anchors.addAll(parse(pem));
        }
        return anchors;
    }

    /** Time until the certificate expires (negative once it has). */
    public Duration timeLeft(Clock clock) {
        return Duration.between(clock.instant(), notAfter);
    }

    public boolean isRevoked(String serialHex) {
        return revokedSerials.contains(serialHex.toLowerCase(java.util.Locale.ROOT));
    }

    static List<X509Certificate> parse(String pem) {
        try {
            var factory = CertificateFactory.getInstance("X.509");
            var result = new ArrayList<X509Certificate>();
            for (var cert : factory.generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                result.add((X509Certificate) cert);
            }
            return result;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate list: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "KeyCertMaterial[spiffeId=" + spiffeId + ", serial=" + serial + ", notAfter=" + notAfter
                + ", anchors=" + trustAnchorPems.size() + ", revoked=" + revokedSerials.size()
                + ", trustBundleVersion=" + trustBundleVersion + ", privateKey=<redacted>]";
    }
}
