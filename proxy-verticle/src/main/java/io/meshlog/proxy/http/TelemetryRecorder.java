package io.meshlog.proxy.http;

import io.meshlog.proxy.observability.TelemetryPath;
import io.meshlog.proxy.telemetry.TelemetrySink;
import io.meshlog.schemas.v1.RequestTelemetry;
import java.time.Instant;

/**
 * Builds one {@link RequestTelemetry} per upstream try and per locally answered request and hands
 * it to the {@link TelemetrySink}, which never blocks. Does nothing when the sink is {@link
 * TelemetrySink#NONE}.
 */
public final class TelemetryRecorder {
    private final TelemetrySink sink;
    private final String proxyId;
    private final String workload;
    private final String namespace;

    public TelemetryRecorder(TelemetrySink sink, String proxyId, String workload, String namespace) {
        this.sink = sink;
        this.proxyId = proxyId;
        this.workload = workload;
        this.namespace = namespace;
    }

    public TelemetrySink sink() {
        return sink;
    }

    /**
     * One try; {@code attempt} may have no endpoint (none was healthy).
     *
     * @param status what this try got (or the local reply it led to), 0 when nothing
     * @param flags this try's response flags
     * @param retrySuppressed whether a retry after it was refused by a retry budget
     */
    public void attempt(RequestContext ctx, UpstreamAttempt attempt, int status, int flags, boolean retrySuppressed, long nowNanos) {
        attempt(ctx, attempt, status, flags, retrySuppressed, nowNanos, null);
    }

    /**
     * As above, for the try whose answer was relayed; with {@code shadow} (the request was mirrored)
     * the event goes out once the shadow ended, carrying its outcome beside the primary's.
     */
    void attempt(RequestContext ctx, UpstreamAttempt attempt, int status, int flags, boolean retrySuppressed, long nowNanos,
            Shadow shadow) {
        if (sink == TelemetrySink.NONE) {
            return;
        }
        var event = base(ctx, status, flags, nowNanos - attempt.startNanos());
        var endpoint = attempt.endpoint();
        if (endpoint != null) {
            event.setDestinationEndpoint(endpoint.address());
            event.setDestinationWorkload(endpoint.endpoint().workload());
        }
        event.setPoolWaitMicros(attempt.poolWaitMicros());
        event.setConnectMicros(attempt.connectMicros());
        event.setTlsHandshakeMicros(attempt.tlsHandshakeMicros());
        if (ctx.reporter() == io.meshlog.schemas.v1.Reporter.SOURCE) {
            event.setMtls(attempt.mtls()); // the caller side: how this try went; inbound: how the caller came
        }
        event.setUpstreamMicros(attempt.upstreamMicros(nowNanos));
        event.setAttempt(attempt.number());
        event.setRetry(attempt.number() > 1);
        event.setRetrySuppressed(retrySuppressed);
        event.setProxyMicros(SidecarOverhead.hopMicros(ctx, attempt, nowNanos));
        if (shadow != null) {
            shadow.publishWith(event, sink::record);
        } else {
            sink.record(event);
        }
    }

    /** A request answered by the proxy itself without any try (no route, rate limited, fault, denied). */
    public void local(RequestContext ctx, int status, int flags, long nowNanos) {
        if (sink == TelemetrySink.NONE) {
            return;
        }
        var event = base(ctx, status, flags, nowNanos - ctx.startNanos());
        event.setAttempt(0);
        // Unmeasured: a local answer may follow a wait (a route timeout answered 504), which is not overhead.
        event.setProxyMicros(0L);
        sink.record(event);
    }

    private RequestTelemetry base(RequestContext ctx, int status, int flags, long durationNanos) {
        var span = ctx.span();
        var event = new RequestTelemetry();
        event.setTraceId(span != null ? span.traceId() : "");
        event.setSpanId(span != null ? span.spanId() : "");
        event.setRequestId(ctx.requestId() != null ? ctx.requestId() : "");
        event.setProxyId(proxyId);
        event.setReporter(ctx.reporter());
        event.setSourcePrincipal(ctx.sourcePrincipal());
        boolean outbound = ctx.reporter() == io.meshlog.schemas.v1.Reporter.SOURCE;
        event.setSourceWorkload(outbound ? workload : "unknown");
        event.setSourceNamespace(outbound ? namespace : "unknown");
        event.setDestinationService(ctx.destinationService() != null ? ctx.destinationService() : "unknown");
        event.setDestinationWorkload(outbound ? null : workload);
        event.setDestinationSubset(ctx.subset());
        event.setRoute(ctx.route());
        event.setMethod(ctx.method() != null ? ctx.method() : ctx.request().method().name());
        event.setStatus(status);
        event.setResponseFlags(ResponseFlags.list(flags));
        event.setDurationMicros(Math.max(0, durationNanos / 1000));
        event.setPoolWaitMicros(0L);
        event.setConnectMicros(0L);
        event.setTlsHandshakeMicros(0L);
        event.setUpstreamMicros(0L);
        event.setAttempt(1);
        event.setRetry(false);
        event.setRetrySuppressed(false);
        event.setProxyMicros(0L);
        event.setRequestBytes(ctx.requestBytes());
        event.setResponseBytes(ctx.responseBytes());
        event.setMtls(ctx.mtls());
        event.setEventTime(Instant.ofEpochMilli(ctx.startMillis()));
        event.setShadowResponseFlags(java.util.List.of()); // not mirrored (a Shadow fills it when it was)
        // Outbound keeps the origin form of a forward-proxy URI; inbound requests arrive in it.
        event.setPath(TelemetryPath.of(ctx.uri() != null ? ctx.uri() : ctx.request().uri()));
        event.setObserve(ctx.observe());
        event.setWouldHave(WouldHaves.list(ctx.wouldHave()));
        event.setProxyNamespace(namespace);
        return event;
    }
}
