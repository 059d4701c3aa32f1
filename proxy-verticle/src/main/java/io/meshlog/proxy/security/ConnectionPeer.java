package io.meshlog.proxy.security;

import io.meshlog.proxy.identity.PeerIdentity;
import io.meshlog.proxy.listener.VertxHttp1Pipeline;
import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpConnection;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The verified peer of an mTLS connection, read once per connection and kept on its Netty
 * channel (keep-alive requests reuse it).
 *
 * @param identity the peer's SPIFFE identity and serial
 * @param certificateSha256 hex SHA-256 of the peer's leaf certificate (DER), for {@code x-forwarded-client-cert}
 */
record ConnectionPeer(PeerIdentity identity, String certificateSha256) {
    private static final AttributeKey<Object> KEY = AttributeKey.valueOf("meshlog.peer");
    private static final Object NONE = new Object();

    /**
     * The peer of {@code connection}, or null when it is plaintext or its certificate names no
     * mesh identity.
     */
    static ConnectionPeer of(HttpConnection connection) {
        if (!connection.isSsl()) {
            return null;
        }
        var channel = VertxHttp1Pipeline.channel(connection).orElse(null);
        if (channel != null) {
            var attribute = channel.attr(KEY);
            var cached = attribute.get();
            if (cached == null) {
                var read = read(connection);
                cached = read != null ? read : NONE;
                attribute.set(cached);
            }
            return cached instanceof ConnectionPeer peer ? peer : null;
        }
        return read(connection);
    }

    private static ConnectionPeer read(HttpConnection connection) {
        try {
            var certificates = connection.peerCertificates();
            if (certificates == null || certificates.isEmpty() || !(certificates.get(0) instanceof X509Certificate leaf)) {
                return null;
            }
            return new ConnectionPeer(PeerIdentity.of(leaf), sha256(leaf));
        } catch (SSLPeerUnverifiedException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String sha256(X509Certificate leaf) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot hash the peer certificate: " + e.getMessage(), e);
        }
    }
}
