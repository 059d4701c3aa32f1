package io.meshlog.proxy.outbound;

import io.meshlog.proxy.fault.FaultInjector;
import io.meshlog.proxy.http.Enforcement;
import io.meshlog.proxy.http.Failure;
import io.meshlog.proxy.http.ForwardPathProbe;
import io.meshlog.proxy.http.ForwardTarget;
import io.meshlog.proxy.http.Forwarder;
import io.meshlog.proxy.http.HeadersView;
import io.meshlog.proxy.http.MirrorTarget;
import io.meshlog.proxy.http.IdentityHeaders;
import io.meshlog.proxy.http.RequestContext;
import io.meshlog.proxy.http.RequestIds;
import io.meshlog.proxy.observability.PeerMetadataHeader;
import io.meshlog.proxy.observability.ProxyMetrics;
import io.meshlog.proxy.ratelimit.TokenBucket;
import io.meshlog.proxy.resilience.ClusterRegistry;
import io.meshlog.proxy.route.RouteMatcher;
import io.meshlog.proxy.route.RouteRule;
import io.meshlog.proxy.snapshot.MeshSnapshot;
import io.meshlog.proxy.snapshot.SnapshotHolder;
import io.meshlog.proxy.tracing.RequestTracer;
import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.ResponseFlag;
import io.meshlog.schemas.v1.WouldHave;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The outbound listener's request handler: finds the destination host (absolute-form URI, as a
 * forward proxy for {@code HTTP_PROXY}, or the Host header), matches the route (404 NR when none),
 * answers 502 NR instead when the proxy is scoped by a Sidecar (the host is outside its scope: Istio's
 * REGISTRY_ONLY BlackHoleCluster),
 * answers a redirect itself, applies route rate limits (429 RL) and faults (FI/DI), picks the
 * weighted destination, rewrites uri/authority, applies the header operations (destination's, then
 * route's), computes a consistent-hash key and hands the request to the {@link Forwarder}.
 */
public final class OutboundRequestHandler implements Handler<HttpServerRequest> {
    /** The destination service Istio reports for a request outside the Sidecar's egress hosts. */
    static final String BLACK_HOLE = "BlackHoleCluster";

    private final Vertx vertx;
    private final SnapshotHolder snapshots;
    private final ClusterRegistry clusters;
    private final RouteMatcher matcher;
    private final FaultInjector faults;
    private final Forwarder forwarder;
    private final RequestTracer tracer;
    private final ProxyMetrics metrics;
    private final Map<String, RouteRule> passthrough = new ConcurrentHashMap<>();

    public OutboundRequestHandler(Vertx vertx, SnapshotHolder snapshots, ClusterRegistry clusters, RouteMatcher matcher,
            FaultInjector faults, Forwarder forwarder, RequestTracer tracer, ProxyMetrics metrics) {
        this.vertx = vertx;
        this.snapshots = snapshots;
        this.clusters = clusters;
        this.matcher = matcher;
        this.faults = faults;
        this.forwarder = forwarder;
        this.tracer = tracer;
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpServerRequest request) {
        var ctx = new RequestContext(request, Reporter.SOURCE, System.nanoTime(), System.currentTimeMillis());
        try {
            forwarder.probe().at(ForwardPathProbe.Step.RECEIVED, ctx);
            route(request, ctx);
        } catch (RuntimeException e) {
            forwarder.finisher().internalError(ctx, e); // the safety net: never leave the client waiting
        }
    }

    private void route(HttpServerRequest request, RequestContext ctx) {
        IdentityHeaders.strip(request.headers()); // the app cannot claim a mesh identity (Envoy's SANITIZE)
        var requestId = request.getHeader(RequestIds.HEADER);
        ctx.requestId(requestId != null ? requestId : RequestIds.next());
        ctx.method(request.method().name());
        ctx.uri(originForm(request.uri()));
        if (!request.uri().startsWith("/")) {
            ctx.authority(absoluteFormAuthority(request.uri()));
        }
        var snapshot = snapshots.current();
        ctx.telemetry(snapshot.telemetry());
        ctx.observe(snapshot.observe());
        ctx.span(tracer.start("outbound", RequestTracer.SpanKind.CLIENT, new HeadersView(request.headers()),
                snapshot.telemetry().tracing()));
        // metadata exchange: the callee's sidecar labels its metrics with this workload (overwrites an app's claim)
        request.headers().set(PeerMetadataHeader.HEADER, forwarder.finisher().labels().peerHeader());
        var host = destinationHost(request);
        var routeRequest = RouteActions.routeRequest(request, ctx);
        var rule = host == null ? null : route(snapshot, host, routeRequest);
        if (rule == null) {
            // scoped, the proxy's registry is its Sidecar's scope: an unknown host is outside it (REGISTRY_ONLY)
            boolean outOfScope = host != null && !snapshot.scope().unscoped();
            // Istio labels these requests' metrics with its black hole's name
            ctx.destinationService(outOfScope ? BLACK_HOLE : host);
            forwarder.finisher().replyLocally(ctx, outOfScope ? Failure.OUT_OF_SCOPE : Failure.NO_ROUTE, 0);
            return;
        }
        ctx.route(rule.name());
        if (rule.redirect() != null) {
            redirect(ctx, snapshot, rule, host, routeRequest);
            return;
        }
        var destination = matcher.pick(rule, routeRequest.headers());
        ctx.destinationService(destination.service());
        ctx.subset(destination.subset());
        if (rateLimited(ctx, snapshot, rule)) {
            forwarder.finisher().replyLocally(ctx, Failure.RATE_LIMITED, 0);
            return;
        }
        var fault = rule.fault();
        if (faults.abort(fault)) {
            forwarder.finisher().replyLocally(ctx, Failure.FAULT_ABORT, fault.abortStatus());
            return;
        }
        RouteActions.rewrite(matcher, ctx, rule, routeRequest);
        // Envoy's order: the destination's (weighted cluster's) operations, then the route's
        destination.headers().request().apply(request.headers());
        rule.headers().request().apply(request.headers());
        var cluster = clusters.cluster(destination.service());
        var policy = snapshot.clusterPolicy(destination.service());
        var candidates = cluster.candidates(destination.subset(), destination.port(), policy);
        var hash = RequestHash.of(candidates.hashPolicy(), request, routeRequest.query());
        var target = new ForwardTarget(cluster, candidates, rule.retry(), rule.timeout().toMillis(), true,
                RouteActions.responseHeaders(rule, destination, hash.setCookie()), hash.hash(),
                mirror(snapshot, rule, request, ctx));
        if (faults.delay(fault)) {
            ctx.addFlag(ResponseFlag.DI);
            request.pause();
            // forward() takes the paused request over: it resumes it when it reads the body
            vertx.setTimer(fault.delay().toMillis(), id -> forwarder.forward(ctx, target));
            return;
        }
        forwarder.forward(ctx, target);
    }

    /** Where this request's copy goes, when its route mirrors it (sampled by mirrorPercentage), else null. */
    private MirrorTarget mirror(MeshSnapshot snapshot, RouteRule rule, HttpServerRequest request, RequestContext ctx) {
        var mirror = rule.mirror();
        if (mirror == null || !mirror.samples(ThreadLocalRandom.current().nextDouble(100))) {
            return null;
        }
        var cluster = clusters.cluster(mirror.service());
        var candidates = cluster.candidates(mirror.subset(), mirror.port(), snapshot.clusterPolicy(mirror.service()));
        var primary = ctx.authority() != null ? ctx.authority() : request.authority();
        var authority = MirrorTarget.shadowAuthority(primary != null ? primary
                : io.vertx.core.net.HostAndPort.create(mirror.service(), -1));
        return new MirrorTarget(cluster, candidates, authority);
    }

    private RouteRule route(MeshSnapshot snapshot, String host, RouteMatcher.Request request) {
        var routes = snapshot.routesFor(host);
        if (routes != null) {
            return matcher.match(routes.routes(), request);
        }
        if (!clusters.knows(host)) {
            return null;
        }
        var rule = passthrough.get(host);
        return rule != null ? rule : passthrough.computeIfAbsent(host, RouteRule::passthrough);
    }

    /** A redirect route answers itself; its route rate limits still apply first, as Envoy's filters run before the router. */
    private void redirect(RequestContext ctx, MeshSnapshot snapshot, RouteRule rule, String host, RouteMatcher.Request routeRequest) {
        ctx.destinationService(host);
        if (rateLimited(ctx, snapshot, rule)) {
            forwarder.finisher().replyLocally(ctx, Failure.RATE_LIMITED, 0);
            return;
        }
        var redirect = rule.redirect();
        forwarder.finisher().redirect(ctx, redirect.code(), redirect.location(routeRequest.authorityText(), ctx.uri()));
    }

    private boolean rateLimited(RequestContext ctx, MeshSnapshot snapshot, RouteRule rule) {
        var limits = snapshot.routeLimits().get(rule.name());
        if (limits == null) {
            return false;
        }
        for (int i = 0; i < limits.size(); i++) {
            var decision = limits.get(i).bucket().acquire();
            if (decision == TokenBucket.Decision.LIMITED) {
                // in OBSERVE too, the later limits are not asked: enforcement would have stopped here
                return Enforcement.enforces(ctx, WouldHave.RATE_LIMIT);
            }
            if (decision == TokenBucket.Decision.SHADOW_LIMITED) {
                metrics.shadowLimited();
            }
        }
        return false;
    }

    /**
     * The host the request is for: from an absolute-form URI when there is one (RFC 9112 §3.2.2: it
     * wins over the Host header), else from the Host header / :authority.
     */
    static String destinationHost(HttpServerRequest request) {
        var uri = request.uri();
        if (!uri.startsWith("/")) {
            int scheme = uri.indexOf("://");
            if (scheme > 0) {
                int start = scheme + 3;
                int end = start;
                while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?' && uri.charAt(end) != ':') {
                    end++;
                }
                return uri.substring(start, end);
            }
        }
        var authority = request.authority();
        return authority != null ? authority.host() : null;
    }

    /** The authority of an absolute-form URI ({@code http://orders:8080/x} → {@code orders:8080}), or null. */
    static io.vertx.core.net.HostAndPort absoluteFormAuthority(String uri) {
        int scheme = uri.indexOf("://");
        if (scheme < 0) {
            return null;
        }
        int start = scheme + 3;
        int end = start;
        while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?') {
            end++;
        }
        return io.vertx.core.net.HostAndPort.parseAuthority(uri.substring(start, end), -1);
    }

    /** {@code http://host:port/path?q} (forward-proxy form) becomes {@code /path?q}. */
    static String originForm(String uri) {
        if (uri.startsWith("/")) {
            return uri;
        }
        int scheme = uri.indexOf("://");
        if (scheme < 0) {
            return uri;
        }
        int path = uri.indexOf('/', scheme + 3);
        int query = uri.indexOf('?', scheme + 3);
        if (path < 0 && query < 0) {
            return "/";
        }
        if (path < 0 || (query >= 0 && query < path)) {
            return "/" + uri.substring(query);
        }
        return uri.substring(path);
    }
}
