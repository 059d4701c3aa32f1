package io.meshlog.proxy.http;

import io.meshlog.proxy.observability.ProxyMetrics;
import io.meshlog.proxy.resilience.AttemptFailure;
import io.meshlog.proxy.resilience.EndpointPicker;
import io.meshlog.schemas.v1.ResponseFlag;
import io.vertx.core.Vertx;

/**
 * Sends the copy of a mirrored request (Istio's {@code mirror}): to an endpoint of the mirror
 * destination, under that destination's pool limits and breaker, with {@code -shadow} appended to
 * the authority; fire and forget. It reads the shadow's whole response to hash its body, bounded by
 * the shadow timeout (then reset, flag UT) and by the proxy-wide {@link ShadowGate} (past it the
 * copy is dropped, counted). Nothing here can fail or delay the primary: its own failures end the
 * shadow, not the request. Runs on the primary request's event loop.
 */
public final class ShadowSender {
    private final Vertx vertx;
    private final UpstreamClient client;
    private final EndpointPicker picker;
    private final ShadowGate gate;
    private final ProxyMetrics metrics;

    public ShadowSender(Vertx vertx, UpstreamClient client, EndpointPicker picker, ShadowGate gate, ProxyMetrics metrics) {
        this.vertx = vertx;
        this.client = client;
        this.picker = picker;
        this.gate = gate;
        this.metrics = metrics;
    }

    /** A copy of {@code primary} with {@code body} (held whole) to {@code target}; null when dropped. */
    Shadow send(RequestContext primary, MirrorTarget target, RequestBody body, long hash) {
        if (!gate.tryAcquire()) {
            metrics.mirrorDropped(ProxyMetrics.MirrorDrop.IN_FLIGHT_LIMIT);
            return null;
        }
        var flight = new Flight(new Shadow(System.nanoTime()));
        try {
            flight.timer = vertx.setTimer(gate.limits().timeout().toMillis(), id -> flight.timedOut());
            var candidates = target.candidates();
            var endpoint = picker.pick(target.cluster().service(), candidates, null,
                    candidates.traffic().outlier().minHealthPercent(), hash);
            if (endpoint == null) {
                flight.end(0, ResponseFlags.of(ResponseFlag.UH), null, ProxyMetrics.MirrorOutcome.FAILED);
                return flight.shadow;
            }
            client.send(copyOf(primary, target), target.cluster(), candidates, endpoint, 1, body, 0)
                    .onComplete(result -> {
                        if (result.succeeded()) {
                            flight.sent(result.result());
                        } else {
                            flight.end(0, ResponseFlags.of(ResponseFlag.IE), null, ProxyMetrics.MirrorOutcome.FAILED);
                        }
                    });
        } catch (RuntimeException e) {
            flight.end(0, ResponseFlags.of(ResponseFlag.IE), null, ProxyMetrics.MirrorOutcome.FAILED);
        }
        return flight.shadow;
    }

    private static RequestContext copyOf(RequestContext primary, MirrorTarget target) {
        var copy = new RequestContext(primary.request, primary.reporter, System.nanoTime(), System.currentTimeMillis());
        copy.requestId = primary.requestId;
        copy.method = primary.method;
        copy.uri = primary.uri;
        copy.authority = target.authority();
        return copy;
    }

    /** One shadow between sending and its end. */
    private final class Flight {
        final Shadow shadow;
        long timer = -1;
        UpstreamAttempt attempt;
        boolean done;

        Flight(Shadow shadow) {
            this.shadow = shadow;
        }

        void sent(UpstreamAttempt tried) {
            attempt = tried;
            if (done) {
                tried.reset(); // timed out before the connection was had
                return;
            }
            var response = tried.response();
            if (response == null) {
                int flags = tried.failure() == AttemptFailure.NONE ? 0 : ResponseFlags.of(FailureMapper.failureOf(tried.failure()).flag());
                end(0, flags, null, ProxyMetrics.MirrorOutcome.FAILED);
                return;
            }
            var bodyHash = new BodyHash();
            response.handler(bodyHash::update);
            response.exceptionHandler(e -> end(response.statusCode(), ResponseFlags.of(ResponseFlag.UC), null,
                    ProxyMetrics.MirrorOutcome.FAILED));
            response.endHandler(v -> end(response.statusCode(), 0, bodyHash.hex(), ProxyMetrics.MirrorOutcome.COMPLETED));
            response.resume();
        }

        void timedOut() {
            timer = -1;
            end(0, ResponseFlags.of(ResponseFlag.UT), null, ProxyMetrics.MirrorOutcome.TIMED_OUT);
        }

        void end(int status, int flags, String bodyHash, ProxyMetrics.MirrorOutcome outcome) {
            if (done) {
                return;
            }
            done = true; // before the reset below, which may call the response's exception handler
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
            if (attempt != null) {
                if (outcome == ProxyMetrics.MirrorOutcome.TIMED_OUT) {
                    attempt.reset(); // frees the connection the slow shadow holds
                } else {
                    attempt.end();
                }
            }
            shadow.finish(status, flags, bodyHash, System.nanoTime());
            gate.release();
            metrics.mirrorShadow(outcome);
        }
    }
}
