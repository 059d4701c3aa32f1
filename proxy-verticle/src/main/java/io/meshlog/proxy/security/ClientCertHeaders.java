package io.meshlog.proxy.security;

/**
 * The inbound listener's own {@code x-forwarded-client-cert} toward the local app, in Envoy's format:
 * {@code By=<this workload's SPIFFE id>;Hash=<sha256 of the peer certificate>;URI=<peer SPIFFE id>}.
 */
final class ClientCertHeaders {
    static final String XFCC = "x-forwarded-client-cert";

    private ClientCertHeaders() {}

    /** The {@code x-forwarded-client-cert} value for a request from {@code peer} to workload {@code by}. */
    static String forwardedClientCert(String by, ConnectionPeer peer) {
        return "By=" + by + ";Hash=" + peer.certificateSha256() + ";URI=" + peer.identity().spiffeId().uri();
    }
}
