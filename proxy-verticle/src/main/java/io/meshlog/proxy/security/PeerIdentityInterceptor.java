package io.meshlog.proxy.security;

import io.meshlog.proxy.http.Failure;
import io.meshlog.schemas.v1.WouldHave;
import io.meshlog.proxy.http.RequestContext;
import io.meshlog.proxy.inbound.InboundInterceptor;
import io.meshlog.proxy.snapshot.MeshSnapshot;
import io.meshlog.schemas.v1.MtlsMode;
import java.util.function.Supplier;

/**
 * First on the inbound chain: strips every header that claims an identity, makes the verified peer
 * certificate's SPIFFE id the request's source principal (telemetry {@code source_principal},
 * {@code mtls}, metrics {@code connection_security_policy=mutual_tls}) and tells the local app who
 * called in {@code x-forwarded-client-cert}. A request on a connection the current
 * PeerAuthentication mode no longer allows (the policy changed after the connection was made) is
 * denied (403, UAEX) and its connection closed.
 */
final class PeerIdentityInterceptor implements InboundInterceptor {
    private final PolicyView policies;
    private final Supplier<String> ownSpiffeId;

    /** @param ownSpiffeId this workload's SPIFFE id (the {@code By} of the forwarded header) */
    PeerIdentityInterceptor(PolicyView policies, Supplier<String> ownSpiffeId) {
        this.policies = policies;
        this.ownSpiffeId = ownSpiffeId;
    }

    @Override
    public Failure intercept(RequestContext ctx, MeshSnapshot snapshot) {
        var request = ctx.request();
        var headers = request.headers();
        io.meshlog.proxy.http.IdentityHeaders.strip(headers);
        var connection = request.connection();
        var peer = ConnectionPeer.of(connection);
        var compiled = policies.current();
        var mode = compiled.mtls();
        if (peer == null && compiled.configuredMtls() == MtlsMode.STRICT && mode != MtlsMode.STRICT) {
            ctx.wouldHave(WouldHave.REFUSE_PLAINTEXT); // OBSERVE relaxed STRICT to PERMISSIVE for this connection
        }
        if (peer == null ? mode == MtlsMode.STRICT : mode == MtlsMode.DISABLE) {
            request.response().putHeader("connection", "close");
            return Failure.DENIED;
        }
        if (peer != null) {
            ctx.mtls(true, peer.identity().spiffeId().uri());
            headers.set(ClientCertHeaders.XFCC, ClientCertHeaders.forwardedClientCert(ownSpiffeId.get(), peer));
        }
        return null;
    }
}
