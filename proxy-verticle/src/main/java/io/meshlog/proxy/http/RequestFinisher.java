package io.meshlog.proxy.http;

import io.meshlog.proxy.observability.ProxyMetrics;
import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.ResponseFlag;
import java.util.Map;

/**
 * Ends a request in one place: local replies with their status, flag and headers; then metrics,
 * telemetry and the span, exactly once per request.
 */
public final class RequestFinisher {
    private static final org.slf4j.Logger LOGGER = org.slf4j.LoggerFactory.getLogger(RequestFinisher.class);
    private final ProxyMetrics metrics;
    private final TelemetryRecorder telemetry;
    private final RequestLabels labels;

    /** @param labels computes each request's Istio metric labels */
    public RequestFinisher(ProxyMetrics metrics, TelemetryRecorder telemetry, RequestLabels labels) {
        this.metrics = metrics;
        this.telemetry = telemetry;
        this.labels = labels;
    }

    /** The metric labels, and the metadata exchange the listeners take part in. */
    public RequestLabels labels() {
        return labels;
    }

    public TelemetryRecorder telemetry() {
        return telemetry;
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    /**
     * Answers {@code ctx} locally (no try was made) and records it.
     *
     * @param status the status to send, or 0 for the failure's own
     */
    public void replyLocally(RequestContext ctx, Failure failure, int status) {
        if (failure.flag() != null) {
            ctx.addFlag(failure.flag());
        }
        ctx.status(status > 0 ? status : failure.status());
        send(ctx, failure);
        long now = System.nanoTime();
        telemetry.local(ctx, ctx.status(), ctx.flags(), now);
        record(ctx, now);
    }

    /**
     * Answers {@code ctx} with a redirect (a VirtualService's HTTPRedirect: nothing is forwarded)
     * and records it; no response flag, as Envoy reports a route's redirect.
     */
    public void redirect(RequestContext ctx, int status, String location) {
        ctx.status(status);
        var response = ctx.request.response();
        if (!response.ended() && !response.closed() && !response.headWritten()) {
            response.setStatusCode(status).putHeader("location", location).putHeader(RequestIds.HEADER, ctx.requestId)
                    .putHeader("content-length", "0").end();
        }
        long now = System.nanoTime();
        telemetry.local(ctx, ctx.status(), ctx.flags(), now);
        record(ctx, now);
    }

    /**
     * The safety net of both listeners: a failure of the proxy's own code while handling {@code ctx}
     * becomes a 500 with flag IE (or a reset when the response had begun), counted in
     * {@code meshlog_proxy_internal_errors_total} and logged, with a telemetry event and the request
     * metrics, exactly once.
     */
    public void internalError(RequestContext ctx, Throwable cause) {
        metrics.internalError(ctx.reporter == Reporter.SOURCE ? "outbound" : "inbound");
        LOGGER.atError().setMessage("request failed inside the proxy: answered 500 IE")
                .addKeyValue("destination", ctx.destinationService).addKeyValue("route", ctx.route)
                .addKeyValue("error", String.valueOf(cause)).setCause(cause).log();
        if (ctx.recorded) {
            return;
        }
        var response = ctx.request.response();
        if (response.headWritten() && !response.ended()) {
            response.reset();
        }
        replyLocally(ctx, Failure.INTERNAL_ERROR, 0);
    }

    /** A failure after the request was recorded: only counted and logged. */
    void internalErrorAfterEnd(RequestContext ctx, Throwable cause) {
        metrics.internalError(ctx.reporter == Reporter.SOURCE ? "outbound" : "inbound");
        LOGGER.atWarn().setMessage("failure inside the proxy after the request ended")
                .addKeyValue("error", String.valueOf(cause)).log();
    }

    /** Writes a local reply for {@code failure} (when the client is still there) without recording. */
    void send(RequestContext ctx, Failure failure) {
        var response = ctx.request.response();
        if (response.ended() || response.closed() || response.headWritten()) {
            return;
        }
        response.setStatusCode(ctx.status());
        response.putHeader("content-type", "text/plain");
        response.putHeader(RequestIds.HEADER, ctx.requestId);
        response.putHeader("x-response-flags", ResponseFlags.label(ctx.flags()));
        if (failure == Failure.RATE_LIMITED) {
            response.putHeader("x-ratelimited", "true");
        }
        var body = failure.body();
        if (failure == Failure.CONNECT_FAILURE && ctx.transportFailure != null) {
            // Envoy's %UPSTREAM_TRANSPORT_FAILURE_REASON%: why the TLS connection was refused
            response.putHeader("x-upstream-transport-failure", ctx.transportFailure);
            body = body + ", transport failure reason: " + ctx.transportFailure;
        }
        ctx.addResponseBytes(body.length());
        response.end(body);
    }

    /**
     * Records the end of a request (metrics, access log and span) as the Telemetry policies it started
     * under say; telemetry of tries is recorded by the caller and goes to Kafka whatever they say.
     */
    public void record(RequestContext ctx, long nowNanos) {
        if (ctx.recorded) {
            return;
        }
        ctx.recorded = true;
        double millis = (nowNanos - ctx.startNanos) / 1_000_000.0;
        var policy = ctx.telemetry;
        metrics.request(labels.of(ctx), policy.metrics(), millis, ctx.requestBytes, ctx.responseBytes);
        if (ctx.wouldHave != 0) {
            for (var decision : WouldHaves.list(ctx.wouldHave)) {
                metrics.wouldHave(decision);
            }
        }
        if (policy.accessLog()) {
            AccessLog.write(ctx, nowNanos);
        }
        if (ResponseFlags.has(ctx.flags, ResponseFlag.DC)) {
            metrics.downstreamReset();
        }
        if (ctx.span != null) {
            ctx.span.end(ctx.status, ResponseFlags.label(ctx.flags), Map.of());
        }
    }
}
