package io.meshlog.proxy.identity;

import io.vertx.core.http.HttpConnection;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Who is on the other end of an mTLS connection: the SPIFFE id in the URI SAN of the peer's leaf
 * certificate (trusted only because the handshake validated it against the mesh's anchors).
 *
 * @param spiffeId the peer's identity
 * @param serial the peer certificate's serial, lowercase hex
 */
public record PeerIdentity(SpiffeId spiffeId, String serial) {
    private static final int URI_SAN = 6;

    public String namespace() {
        return spiffeId.namespace();
    }

    public String serviceAccount() {
        return spiffeId.serviceAccount();
    }

    /** Istio's {@code source.principal} form: {@code cluster.local/ns/default/sa/api}. */
    public String principal() {
        return spiffeId.principal();
    }

    /**
     * The peer of {@code connection}: empty when it is plaintext or sent no certificate.
     *
     * @throws IllegalArgumentException when the certificate carries no mesh SPIFFE id
     */
    public static Optional<PeerIdentity> of(HttpConnection connection) {
        if (!connection.isSsl()) {
            return Optional.empty();
        }
        try {
            var certificates = connection.peerCertificates();
            if (certificates == null || certificates.isEmpty()
                    || !(certificates.get(0) instanceof X509Certificate leaf)) {
                return Optional.empty();
            }
            return Optional.of(of(leaf));
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /** The identity in {@code leaf}'s URI SAN. */
    public static PeerIdentity of(X509Certificate leaf) {
        try {
            var names = leaf.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (name.size() >= 2 && Integer.valueOf(URI_SAN).equals(name.get(0))
                            && name.get(1) instanceof String uri && uri.startsWith("spiffe://")) {
                        return new PeerIdentity(SpiffeId.parse(uri),
                                leaf.getSerialNumber().toString(16).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("peer certificate has unreadable SANs: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("peer certificate " + leaf.getSubjectX500Principal()
                + " has no SPIFFE URI SAN");
    }

    /** True when the trust bundle in {@code material} lists this peer's serial as revoked. */
    public boolean isRevokedIn(KeyCertMaterial material) {
        return material.isRevoked(serial);
    }
}
