package io.meshlog.proxy.identity;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.TrustOptions;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;

/**
 * Vert.x TLS options from a {@link KeyCertMaterial}, and their hot swap. Listeners call
 * {@link #hotSwap(HttpServer, KeyCertMaterial, ClientAuth)} / {@link #hotSwap(HttpClientAgent,
 * KeyCertMaterial)} from a {@link WorkloadIdentity#onMaterial} listener: new handshakes use the new
 * certificate and anchors, open connections and in-flight requests are untouched.
 *
 * <p>Trust is the bundle's anchors with PKIX validation plus a refusal of revoked serials, in the
 * handshake. Host names are not verified: SPIFFE certificates name workloads, not hosts; the
 * caller checks the peer's SPIFFE id ({@link PeerIdentity}) against the identities the
 * destination may have.
 */
public final class MeshTls {
    private MeshTls() {}

    /** The workload key and chain for Vert.x ({@code setKeyValue}/{@code setCertValue}). */
    public static PemKeyCertOptions keyCert(KeyCertMaterial material) {
        return new PemKeyCertOptions()
                .setKeyValue(Buffer.buffer(material.privateKeyPem()))
                .setCertValue(Buffer.buffer(material.certificateChainPem()));
    }

    /** The bundle's anchors as plain PEM trust (no revocation check: prefer {@link #trust}). */
    public static PemTrustOptions pemTrust(KeyCertMaterial material) {
        var trust = new PemTrustOptions();
        material.trustAnchorPems().forEach(pem -> trust.addCertValue(Buffer.buffer(pem)));
        return trust;
    }

    /** The bundle's anchors, refusing revoked serials during the handshake. */
    public static TrustOptions trust(KeyCertMaterial material) {
        return TrustOptions.wrap(new RevocationCheckingTrustManager(
                material.trustAnchors(), material.revokedSerials()));
    }

    /**
     * A Netty server context requiring a client certificate, for a listener that decides per
     * connection whether to speak TLS (PeerAuthentication PERMISSIVE): key and chain from {@code
     * material}, trust = the bundle's anchors with revoked serials refused.
     *
     * @throws IllegalArgumentException when the key or chain cannot be read (the message names no key material)
     */
    public static SslContext serverContext(KeyCertMaterial material) {
        try {
            return SslContextBuilder.forServer(
                            new ByteArrayInputStream(material.certificateChainPem().getBytes(StandardCharsets.US_ASCII)),
                            new ByteArrayInputStream(material.privateKeyPem().getBytes(StandardCharsets.US_ASCII)))
                    .sslProvider(SslProvider.JDK)
                    .trustManager(new RevocationCheckingTrustManager(material.trustAnchors(), material.revokedSerials()))
                    .clientAuth(io.netty.handler.ssl.ClientAuth.REQUIRE)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot build the server TLS context for certificate serial "
                    + material.serial() + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Inbound options.
     *
     * @param clientAuth REQUIRED for STRICT, REQUEST for PERMISSIVE (plaintext is a separate
     *     per-connection decision of the listener)
     */
    public static ServerSSLOptions serverOptions(KeyCertMaterial material, ClientAuth clientAuth) {
        return new ServerSSLOptions()
                .setKeyCertOptions(keyCert(material))
                .setTrustOptions(trust(material))
                .setClientAuth(clientAuth);
    }

    /** Outbound options: present our certificate, trust the bundle, no host name check. */
    public static ClientSSLOptions clientOptions(KeyCertMaterial material) {
        return new ClientSSLOptions()
                .setKeyCertOptions(keyCert(material))
                .setTrustOptions(trust(material))
                .setHostnameVerificationAlgorithm("");
    }

    /** Turns TLS on in {@code options} with {@code ssl}'s key, trust and client auth. */
    public static HttpServerOptions applyTo(HttpServerOptions options, ServerSSLOptions ssl) {
        return options.setSsl(true)
                .setKeyCertOptions(ssl.getKeyCertOptions())
                .setTrustOptions(ssl.getTrustOptions())
                .setClientAuth(ssl.getClientAuth());
    }

    /** Turns TLS on in {@code options} with {@code ssl}'s key and trust, without host name check. */
    public static HttpClientOptions applyTo(HttpClientOptions options, ClientSSLOptions ssl) {
        return options.setSsl(true)
                .setKeyCertOptions(ssl.getKeyCertOptions())
                .setTrustOptions(ssl.getTrustOptions())
                .setVerifyHost(false);
    }

    /** Swaps the server's certificate and trust for new handshakes. */
    public static Future<Boolean> hotSwap(HttpServer server, KeyCertMaterial material, ClientAuth clientAuth) {
        return server.updateSSLOptions(serverOptions(material, clientAuth), true);
    }

    /** Swaps the client's certificate and trust for new connections. */
    public static Future<Boolean> hotSwap(HttpClientAgent client, KeyCertMaterial material) {
        return client.updateSSLOptions(clientOptions(material), true);
    }
}
