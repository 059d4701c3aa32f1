package io.meshlog.proxy.inbound;

import io.meshlog.proxy.http.Failure;
import io.meshlog.proxy.http.RequestContext;
import io.meshlog.proxy.snapshot.MeshSnapshot;

/**
 * One step of the inbound listener, run in order before the request is forwarded to the app
 * (peer identity, authorization, rate limits). Must not block.
 */
@FunctionalInterface
public interface InboundInterceptor {
    /**
     * Inspects {@code ctx} (and may set facts on it, e.g. the caller's mTLS identity).
     *
     * @return null to go on, or the failure the request is answered with (e.g. {@link Failure#DENIED})
     */
    Failure intercept(RequestContext ctx, MeshSnapshot snapshot);
}
