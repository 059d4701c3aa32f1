package io.meshlog.proxy.http;

import io.meshlog.proxy.resilience.EndpointPicker;
import io.meshlog.proxy.resilience.LocalOutlierDetector;
import io.meshlog.proxy.resilience.RetryExecutor;
import io.meshlog.proxy.resilience.RetryPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * Forwards a routed request: holds its body for retries or streams it ({@link RequestBody}), runs
 * the tries through the {@link RetryExecutor} (each picks an endpoint, the one before excluded),
 * applies the route timeout, relays the chosen response, and ends the request with metrics and
 * telemetry. A client that goes away resets the upstream try and is counted, nothing is written to
 * it afterwards.
 */
public final class Forwarder {
    private final Vertx vertx;
    private final UpstreamClient client;
    private final EndpointPicker picker;
    private final LocalOutlierDetector outliers;
    private final RetryExecutor retries;
    private final RequestFinisher finisher;
    private final long retryBufferBytes;
    private final ShadowSender shadows;
    private volatile ForwardPathProbe probe = ForwardPathProbe.NONE;

    /**
     * @param retryBufferBytes the most of a request body held for retries (Envoy's retry buffer limit),
     *     and for a mirrored copy
     * @param shadows sends the copies of mirrored requests
     */
    public Forwarder(Vertx vertx, UpstreamClient client, EndpointPicker picker, LocalOutlierDetector outliers,
            RetryExecutor retries, RequestFinisher finisher, long retryBufferBytes, ShadowSender shadows) {
        this.retryBufferBytes = retryBufferBytes;
        this.shadows = shadows;
        this.vertx = vertx;
        this.client = client;
        this.picker = picker;
        this.outliers = outliers;
        this.retries = retries;
        this.finisher = finisher;
    }

    public RequestFinisher finisher() {
        return finisher;
    }

    public ForwardPathProbe probe() {
        return probe;
    }

    /** Test hook: called at each step of the forward path (see {@link ForwardPathProbe}). */
    public void probe(ForwardPathProbe value) {
        probe = value;
    }

    /**
     * Forwards {@code ctx} to {@code target}; the request must not have been read yet (it may be
     * paused: this resumes it when it reads the body). A body that a retry may need to send again
     * is held, up to the retry buffer limit; past it the request gives up its retries and streams
     * (counted); a body no retry can need streams from the start.
     */
    public void forward(RequestContext ctx, ForwardTarget target) {
        var exchange = new Exchange(ctx, target);
        // HTTP/2 also calls the close handler when a stream ends normally: clientGone() ignores that
        ctx.request.response().closeHandler(v -> exchange.clientGone());
        ctx.request.response().exceptionHandler(e -> exchange.clientGone());
        // a mirrored body is held like a retriable one: the copy needs it whole
        if (target.mirror() == null && !mayRetry(target.retry(), ctx.method) && RequestBody.announced(ctx.request)) {
            exchange.guarded(() -> exchange.start(RequestBody.streamed(ctx, Buffer.buffer()), target.retry()));
            return;
        }
        RequestBody.buffered(ctx, retryBufferBytes).onComplete(body -> exchange.guarded(() -> {
            if (body.failed()) {
                exchange.clientGone();
            } else if (body.result().replayable()) {
                exchange.mirror(body.result());
                exchange.start(body.result(), target.retry());
            } else {
                // Envoy's rule: a body past the retry buffer is not held for retries, the request is tried once
                // (and not mirrored: no whole copy exists)
                if (target.mirror() != null) {
                    finisher.metrics().mirrorDropped(io.meshlog.proxy.observability.ProxyMetrics.MirrorDrop.BODY_TOO_LARGE);
                }
                if (mayRetry(target.retry(), ctx.method)) {
                    finisher.metrics().retryBufferOverflow();
                }
                exchange.start(body.result(), RetryPolicy.NONE);
            }
        }));
    }

    /** Whether any retry of a request with {@code method} can happen under {@code policy}. */
    private static boolean mayRetry(RetryPolicy policy, String method) {
        return policy.attempts() > 0 && !policy.retryOn().isEmpty() && policy.allowsMethod(method);
    }

    /** One forwarded request: the state shared by its tries. Runs on the request's event loop. */
    private final class Exchange implements RetryExecutor.Attempt {
        private final RequestContext ctx;
        private final ForwardTarget target;
        private RequestBody body;
        private UpstreamAttempt current;
        private long timer = -1;
        private ExchangeState state = ExchangeState.READING_BODY;
        private RetryPolicy retryPolicy = RetryPolicy.NONE;
        /** The mirrored copy, or null; its outcome rides on the telemetry of the relayed try. */
        private Shadow shadow;
        private BodyHash relayedHash;

        Exchange(RequestContext ctx, ForwardTarget target) {
            this.ctx = ctx;
            this.target = target;
        }

        /** Sends the copy before the first try, so that the shadow never waits on the primary. */
        void mirror(RequestBody whole) {
            if (target.mirror() == null || state.ended()) {
                return;
            }
            try {
                shadow = shadows.send(ctx, target.mirror(), whole, target.hash());
            } catch (RuntimeException e) {
                shadow = null; // the shadow's failure must never become the primary's
            }
        }

        void start(RequestBody requestBody, RetryPolicy retry) {
            if (state.ended()) {
                return;
            }
            state = ExchangeState.TRYING;
            body = requestBody;
            target.cluster().retryBudget().requestStarted();
            if (target.timeoutMillis() > 0) {
                timer = vertx.setTimer(target.timeoutMillis(), id -> timedOut());
            }
            probe.at(ForwardPathProbe.Step.TRIES, ctx);
            // OBSERVE: one try only; whether the route would have retried it is recorded in finish()
            retryPolicy = retry;
            retries.execute(ctx.observe ? RetryPolicy.NONE : retry, ctx.method, target.cluster().service(), target.cluster().retryBudget(), this)
                    .onComplete(outcome -> guarded(() -> {
                        if (outcome.failed()) {
                            throw new IllegalStateException("retry executor failed", outcome.cause());
                        }
                        finish(outcome.result());
                    }));
        }

        @Override
        public io.vertx.core.Future<RetryExecutor.AttemptResult> run(int number) {
            if (current != null) {
                // the previous try is being retried: report it now, with its own outcome
                recordTry(current, current.status(), tryFlags(current), false);
            }
            var previous = current != null ? current.endpoint() : null;
            var traffic = target.candidates().traffic();
            var service = target.cluster().service();
            var endpoint = picker.pick(service, target.candidates(), previous,
                    traffic.outlier().minHealthPercent(), target.hash(), !ctx.observe);
            if (ctx.observe && endpoint != null && target.detectOutliers() && picker.ejected(service, endpoint)) {
                ctx.wouldHave(io.meshlog.schemas.v1.WouldHave.EJECT);
            }
            if (endpoint == null) {
                current = new UpstreamAttempt(number, null, System.nanoTime());
                current.failure = io.meshlog.proxy.resilience.AttemptFailure.NO_HEALTHY_UPSTREAM;
                return io.vertx.core.Future.succeededFuture(current);
            }
            long perTry = target.retry().perTryTimeout().toMillis();
            return client.send(ctx, target.cluster(), target.candidates(), endpoint, number, body, perTry)
                    .map(attempt -> {
                        current = attempt;
                        if (target.detectOutliers() && traffic.outlier().enabled()) {
                            // the subset's own hosts, as Envoy's per-subset cluster counts maxEjectionPercent over them
                            outliers.record(target.cluster().service(), target.candidates().endpoints(), endpoint,
                                    traffic.outlier(), attempt.status(), attempt.failure());
                        }
                        return attempt;
                    });
        }

        @Override
        public boolean cancelled() {
            return state.ended();
        }

        private void finish(RetryExecutor.Outcome outcome) {
            probe.at(ForwardPathProbe.Step.RESPONSE, ctx);
            if (state.ended()) {
                outcome.last().discard();
                return;
            }
            if (ctx.observe && RetryExecutor.wouldRetry(retryPolicy, ctx.method, outcome.last())) {
                ctx.wouldHave(io.meshlog.schemas.v1.WouldHave.RETRY);
            }
            if (outcome.retriesExhausted()) {
                ctx.addFlag(io.meshlog.schemas.v1.ResponseFlag.URX);
            }
            if (!(outcome.last() instanceof UpstreamAttempt last)) {
                return;
            }
            current = last;
            var response = last.response;
            if (response == null) {
                var failure = FailureMapper.failureOf(last.failure);
                ctx.addFlag(failure.flag());
                ctx.status = failure.status();
                finisher.send(ctx, failure);
                complete(outcome.retrySuppressed());
                return;
            }
            relay(last, outcome.retrySuppressed());
        }

        private void relay(UpstreamAttempt last, boolean retrySuppressed) {
            state = ExchangeState.RELAYING;
            cancelTimer();
            var response = last.response;
            var downstream = ctx.request.response();
            ctx.status = response.statusCode();
            ctx.destinationWorkload = last.endpoint().endpoint().workload();
            ctx.destinationEndpoint = last.endpoint().endpoint();
            ctx.upstreamMtls = last.mtls;
            downstream.setStatusCode(ctx.status);
            downstream.setStatusMessage(response.statusMessage());
            HopByHopHeaders.copy(response.headers(), downstream.headers());
            var edits = target.responseHeaders();
            for (int i = 0; i < edits.size(); i++) {
                edits.get(i).apply(downstream.headers()); // VirtualService headers.response, destination's then route's
            }
            if (ctx.flags != 0) {
                downstream.putHeader("x-response-flags", ResponseFlags.label(ctx.flags));
            }
            SidecarOverhead.exchange(ctx, last, response, downstream);
            if (shadow != null) {
                relayedHash = new BodyHash();
            }
            if (mayHaveBody(ctx.status) && !"HEAD".equals(ctx.method) && !response.headers().contains("content-length")
                    && ctx.request.version() != io.vertx.core.http.HttpVersion.HTTP_2) {
                downstream.setChunked(true);
            }
            response.handler(chunk -> {
                if (state.ended()) {
                    return;
                }
                ctx.responseBytes += chunk.length();
                if (relayedHash != null) {
                    relayedHash.update(chunk);
                }
                downstream.write(chunk);
                if (downstream.writeQueueFull()) {
                    response.pause();
                    downstream.drainHandler(v -> response.resume());
                }
            });
            response.exceptionHandler(e -> {
                if (!state.ended()) {
                    ctx.addFlag(io.meshlog.schemas.v1.ResponseFlag.UC);
                    downstream.reset();
                    complete(retrySuppressed);
                }
            });
            response.endHandler(v -> {
                if (!state.ended()) {
                    last.end();
                    state = ExchangeState.RESPONSE_ENDED; // before end(): ending may run the close handler synchronously
                    downstream.end();
                    complete(retrySuppressed);
                }
            });
            response.resume();
        }

        private static boolean mayHaveBody(int status) {
            return status >= 200 && status != 204 && status != 304;
        }

        private void timedOut() {
            timer = -1;
            if (state != ExchangeState.TRYING) {
                return;
            }
            if (current != null) {
                current.reset();
            }
            ctx.addFlag(Failure.TIMEOUT.flag());
            ctx.status = Failure.TIMEOUT.status();
            finisher.send(ctx, Failure.TIMEOUT);
            complete(false);
        }

        void clientGone() {
            if (state.ended() || ctx.request.response().ended()) {
                return;
            }
            ctx.addFlag(io.meshlog.schemas.v1.ResponseFlag.DC);
            if (current != null) {
                current.reset();
            }
            if (state == ExchangeState.READING_BODY) {
                // never started: nothing upstream to report
                state = ExchangeState.RECORDED;
                finisher.record(ctx, System.nanoTime());
                return;
            }
            complete(false);
        }

        private void complete(boolean retrySuppressed) {
            if (state == ExchangeState.RECORDED) {
                return;
            }
            state = ExchangeState.RECORDED;
            cancelTimer();
            body.discardUnsent();
            target.cluster().retryBudget().requestFinished();
            long now = System.nanoTime();
            if (current != null) {
                current.end();
                if (shadow != null) {
                    shadow.primaryBodyHash(relayedHash != null ? relayedHash.hex() : null);
                }
                finisher.telemetry().attempt(ctx, current, ctx.status, ctx.flags | tryFlags(current), retrySuppressed,
                        System.nanoTime(), shadow);
            } else {
                finisher.telemetry().local(ctx, ctx.status, ctx.flags, now);
            }
            finisher.record(ctx, now);
        }

        private void recordTry(UpstreamAttempt attempt, int status, int flags, boolean retrySuppressed) {
            finisher.telemetry().attempt(ctx, attempt, status, flags, retrySuppressed, System.nanoTime());
        }

        private int tryFlags(UpstreamAttempt attempt) {
            return attempt.failure == io.meshlog.proxy.resilience.AttemptFailure.NONE
                    ? 0 : ResponseFlags.of(FailureMapper.failureOf(attempt.failure).flag());
        }

        /**
         * The safety net: any failure of the proxy's own code on the forward path ends the request
         * here — 500 with flag IE when nothing was sent yet (else the client stream is reset), the
         * try abandoned, metrics and one telemetry event — instead of leaving the client waiting.
         */
        void internalError(Throwable cause) {
            if (state == ExchangeState.RECORDED) {
                finisher.internalErrorAfterEnd(ctx, cause);
                return;
            }
            boolean started = state != ExchangeState.READING_BODY;
            state = ExchangeState.RECORDED;
            cancelTimer();
            if (current != null) {
                current.reset();
            }
            if (started) {
                body.discardUnsent();
                target.cluster().retryBudget().requestFinished();
            }
            finisher.internalError(ctx, cause);
        }

        void guarded(Runnable step) {
            try {
                step.run();
            } catch (RuntimeException e) {
                internalError(e);
            }
        }

        private void cancelTimer() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }
}
