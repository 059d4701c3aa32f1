package io.meshlog.proxy.security;

import io.vertx.core.MultiMap;
import java.util.List;

/**
 * Headers that claim a caller's identity. The inbound listener strips every one of them from
 * incoming requests (only the verified peer certificate says who called) and sets its own
 * {@code x-forwarded-client-cert} toward the local app, in Envoy's format:
 * {@code By=<this workload's SPIFFE id>;Hash=<sha256 of the peer certificate>;URI=<peer SPIFFE id>}.
 */
final class ClientCertHeaders {
    static final String XFCC = "x-forwarded-client-cert";
    /** Names that claim an identity; compared without case (Vert.x headers are case-insensitive). */
    static final List<String> IDENTITY_CLAIMS = List.of(XFCC, "x-meshlog-source-principal",
            "x-meshlog-source-namespace", "x-meshlog-source-workload", "x-client-cert", "x-ssl-client-cert",
            "x-ssl-client-s-dn", "client-cert", "client-cert-chain");

    private ClientCertHeaders() {}

    /** Removes every identity claim from {@code headers}. */
    static void strip(MultiMap headers) {
        for (int i = 0; i < IDENTITY_CLAIMS.size(); i++) {
            headers.remove(IDENTITY_CLAIMS.get(i));
        }
    }

    /** The {@code x-forwarded-client-cert} value for a request from {@code peer} to workload {@code by}. */
    static String forwardedClientCert(String by, ConnectionPeer peer) {
        return "By=" + by + ";Hash=" + peer.certificateSha256() + ";URI=" + peer.identity().spiffeId().uri();
    }
}
