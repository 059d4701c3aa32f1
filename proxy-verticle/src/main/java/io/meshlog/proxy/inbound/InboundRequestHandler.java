package io.meshlog.proxy.inbound;

import io.meshlog.proxy.http.ForwardPathProbe;
import io.meshlog.proxy.http.ForwardTarget;
import io.meshlog.proxy.http.Forwarder;
import io.meshlog.proxy.http.HeadersView;
import io.meshlog.proxy.http.IdentityHeaders;
import io.meshlog.proxy.http.RequestContext;
import io.meshlog.proxy.http.RequestIds;
import io.meshlog.proxy.resilience.Cluster;
import io.meshlog.proxy.resilience.ClusterPolicy;
import io.meshlog.proxy.resilience.RetryPolicy;
import io.meshlog.proxy.snapshot.SnapshotHolder;
import io.meshlog.proxy.tracing.RequestTracer;
import io.meshlog.schemas.v1.Reporter;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * The inbound listener's request handler: runs the interceptor chain in order (the first that
 * answers ends the request), then forwards to the local app without retries.
 */
public final class InboundRequestHandler implements Handler<HttpServerRequest> {
    private final List<InboundInterceptor> interceptors;
    private final SnapshotHolder snapshots;
    private final Forwarder forwarder;
    private final RequestTracer tracer;
    private final String service;
    private final Cluster app;
    private final ClusterPolicy appPolicy;
    private final long timeoutMillis;

    /**
     * @param interceptors run in this order before forwarding
     * @param service the name this workload is called by (destination_service)
     * @param app the local app as a one-endpoint cluster
     * @param timeoutMillis how long the app may take, 0 for no limit
     */
    public InboundRequestHandler(List<InboundInterceptor> interceptors, SnapshotHolder snapshots, Forwarder forwarder,
            RequestTracer tracer, String service, Cluster app, long timeoutMillis) {
        this.interceptors = List.copyOf(interceptors);
        this.snapshots = snapshots;
        this.forwarder = forwarder;
        this.tracer = tracer;
        this.service = service;
        this.app = app;
        this.appPolicy = ClusterPolicy.defaults(app.service());
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void handle(HttpServerRequest request) {
        var ctx = new RequestContext(request, Reporter.DESTINATION, System.nanoTime(), System.currentTimeMillis());
        try {
            forwarder.probe().at(ForwardPathProbe.Step.RECEIVED, ctx);
            route(request, ctx);
        } catch (RuntimeException e) {
            forwarder.finisher().internalError(ctx, e); // the safety net: never leave the client waiting
        }
    }

    private void route(HttpServerRequest request, RequestContext ctx) {
        IdentityHeaders.strip(request.headers()); // only a verified peer certificate says who called
        var requestId = request.getHeader(RequestIds.HEADER);
        ctx.requestId(requestId != null ? requestId : RequestIds.next());
        ctx.method(request.method().name());
        ctx.uri(request.uri());
        ctx.destinationService(service);
        ctx.route("inbound");
        ctx.peer(forwarder.finisher().labels().takePeer(request.headers())); // the caller's metadata, never passed to the app
        var snapshot = snapshots.current();
        ctx.telemetry(snapshot.telemetry());
        ctx.observe(snapshot.observe());
        ctx.span(tracer.start("inbound", RequestTracer.SpanKind.SERVER, new HeadersView(request.headers()),
                snapshot.telemetry().tracing()));
        for (int i = 0; i < interceptors.size(); i++) {
            var failure = interceptors.get(i).intercept(ctx, snapshot);
            if (failure != null) {
                forwarder.finisher().replyLocally(ctx, failure, 0);
                return;
            }
        }
        forwarder.forward(ctx, new ForwardTarget(app, app.candidates(null, appPolicy), RetryPolicy.NONE,
                timeoutMillis, false));
    }
}
