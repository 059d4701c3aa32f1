package io.meshlog.proxy.http;

import io.vertx.core.MultiMap;
import java.util.List;

/**
 * Headers that claim a caller's mesh identity. Both listeners remove every one of them from every
 * request (Envoy's {@code SANITIZE}): on the outbound side the app cannot speak for the mesh, on the
 * inbound side only the verified peer certificate says who called (the peer identity step then sets
 * its own {@code x-forwarded-client-cert}).
 */
public final class IdentityHeaders {
    /** Names that claim an identity; compared without case (Vert.x headers are case-insensitive). */
    static final List<String> IDENTITY_CLAIMS = List.of("x-forwarded-client-cert", "x-meshlog-source-principal",
            "x-meshlog-source-namespace", "x-meshlog-source-workload", "x-client-cert", "x-ssl-client-cert",
            "x-ssl-client-s-dn", "client-cert", "client-cert-chain");

    private IdentityHeaders() {}

    /** Removes every identity claim from {@code headers}. */
    public static void strip(MultiMap headers) {
        for (int i = 0; i < IDENTITY_CLAIMS.size(); i++) {
            headers.remove(IDENTITY_CLAIMS.get(i));
        }
    }
}
