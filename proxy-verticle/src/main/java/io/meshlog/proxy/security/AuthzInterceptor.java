package io.meshlog.proxy.security;

import io.meshlog.proxy.authz.AuthorizationAudit;
import io.meshlog.proxy.authz.AuthorizationEvaluator;
import io.meshlog.proxy.authz.RequestAttributes;
import io.meshlog.proxy.http.Enforcement;
import io.meshlog.proxy.http.Failure;
import io.meshlog.schemas.v1.WouldHave;
import io.meshlog.proxy.http.RequestContext;
import io.meshlog.proxy.inbound.InboundInterceptor;
import io.meshlog.proxy.snapshot.MeshSnapshot;
import io.vertx.core.MultiMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AuthorizationPolicy on the inbound chain, after {@link PeerIdentityInterceptor}: the source is
 * the verified peer certificate only. Denied: 403 {@code RBAC: access denied}, flag UAEX (the
 * request finisher counts it in metrics and telemetry; {@link AuthorizationAudit} counts it by
 * policy). Dry-run policies are counted and logged, never enforced. With no policy that can apply
 * to this workload, nothing is evaluated.
 */
final class AuthzInterceptor implements InboundInterceptor {
    private final PolicyView policies;
    private final AuthorizationEvaluator evaluator;
    private final AuthorizationAudit audit;
    private final String namespace;
    private final Map<String, String> labels;
    private final int port;

    /** @param port the workload port {@code to.operation.ports} and {@code destination.port} match */
    AuthzInterceptor(PolicyView policies, AuthorizationEvaluator evaluator, AuthorizationAudit audit, String namespace,
            Map<String, String> labels, int port) {
        this.policies = policies;
        this.evaluator = evaluator;
        this.audit = audit;
        this.namespace = namespace;
        this.labels = Map.copyOf(labels);
        this.port = port;
    }

    @Override
    public Failure intercept(RequestContext ctx, MeshSnapshot snapshot) {
        var applicable = policies.current().authorization();
        if (applicable.isEmpty()) {
            return null;
        }
        var request = ctx.request();
        var peer = ctx.mtls() ? ConnectionPeer.of(request.connection()) : null;
        var authority = request.authority();
        var attributes = new RequestAttributes(
                peer != null ? peer.identity().spiffeId().uri() : "",
                peer != null ? peer.identity().namespace() : "",
                namespace, labels,
                authority != null ? authority.host() : "",
                request.method().name(), request.path(), port, headers(request.headers()));
        var decision = audit.record(evaluator.evaluate(attributes, applicable), attributes);
        return decision.allowed() || !Enforcement.enforces(ctx, WouldHave.DENY) ? null : Failure.DENIED;
    }

    private static Map<String, List<String>> headers(MultiMap headers) {
        var map = new HashMap<String, List<String>>();
        for (var name : headers.names()) {
            map.put(name, headers.getAll(name));
        }
        return map;
    }
}
