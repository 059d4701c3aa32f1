package io.meshlog.proxy.http;

import io.meshlog.proxy.resilience.EndpointPicker;
import io.meshlog.proxy.resilience.LocalOutlierDetector;
import io.meshlog.proxy.resilience.RetryExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * Forwards a routed request: reads its body (kept for retries), runs the tries through the {@link
 * RetryExecutor} (each picks an endpoint, the one before excluded), applies the route timeout,
 * relays the chosen response, and ends the request with metrics and telemetry. A client that goes
 * away resets the upstream try and is counted, nothing is written to it afterwards.
 */
public final class Forwarder {
    private final Vertx vertx;
    private final UpstreamClient client;
    private final EndpointPicker picker;
    private final LocalOutlierDetector outliers;
    private final RetryExecutor retries;
    private final RequestFinisher finisher;
    private final long maxRequestBytes;
    private volatile ForwardPathProbe probe = ForwardPathProbe.NONE;

    /** @param maxRequestBytes request bodies larger than this get 413 (bodies are held whole for retries) */
    public Forwarder(Vertx vertx, UpstreamClient client, EndpointPicker picker, LocalOutlierDetector outliers,
            RetryExecutor retries, RequestFinisher finisher, long maxRequestBytes) {
        this.maxRequestBytes = maxRequestBytes;
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

    /** Forwards {@code ctx} to {@code target}; the request must not have been read yet. */
    public void forward(RequestContext ctx, ForwardTarget target) {
        var exchange = new Exchange(ctx, target);
        // HTTP/2 also calls the close handler when a stream ends normally: clientGone() ignores that
        ctx.request.response().closeHandler(v -> exchange.clientGone());
        ctx.request.response().exceptionHandler(e -> exchange.clientGone());
        BoundedBody.read(ctx.request, maxRequestBytes).onComplete(body -> exchange.guarded(() -> {
            if (body.succeeded()) {
                exchange.start(body.result());
            } else if (body.cause() instanceof BoundedBody.TooLarge) {
                exchange.tooLarge();
            } else {
                exchange.clientGone();
            }
        }));
    }

    /** One forwarded request: the state shared by its tries. Runs on the request's event loop. */
    private final class Exchange implements RetryExecutor.Attempt {
        private final RequestContext ctx;
        private final ForwardTarget target;
        private Buffer body;
        private UpstreamAttempt current;
        private long timer = -1;
        private ExchangeState state = ExchangeState.READING_BODY;

        Exchange(RequestContext ctx, ForwardTarget target) {
            this.ctx = ctx;
            this.target = target;
        }

        void start(Buffer requestBody) {
            if (state.ended()) {
                return;
            }
            state = ExchangeState.TRYING;
            body = requestBody;
            ctx.requestBytes = requestBody.length();
            target.cluster().retryBudget().requestStarted();
            if (target.timeoutMillis() > 0) {
                timer = vertx.setTimer(target.timeoutMillis(), id -> timedOut());
            }
            probe.at(ForwardPathProbe.Step.TRIES, ctx);
            retries.execute(target.retry(), ctx.method, target.cluster().service(), target.cluster().retryBudget(), this)
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
            var endpoint = picker.pick(target.cluster().service(), target.candidates(), previous,
                    traffic.outlier().minHealthPercent(), target.hash());
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
            if (mayHaveBody(ctx.status) && !"HEAD".equals(ctx.method) && !response.headers().contains("content-length")
                    && ctx.request.version() != io.vertx.core.http.HttpVersion.HTTP_2) {
                downstream.setChunked(true);
            }
            response.handler(chunk -> {
                if (state.ended()) {
                    return;
                }
                ctx.responseBytes += chunk.length();
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

        /** 413 before anything went upstream; HTTP/1 closes the connection, whose body was not read. */
        void tooLarge() {
            if (state.ended()) {
                return;
            }
            state = ExchangeState.RECORDED;
            if (ctx.request.version() != io.vertx.core.http.HttpVersion.HTTP_2) {
                ctx.request.response().putHeader("connection", "close");
            }
            finisher.replyLocally(ctx, Failure.PAYLOAD_TOO_LARGE, 0);
        }

        void clientGone() {
            if (state.ended() || ctx.request.response().ended()) {
                return;
            }
            ctx.addFlag(io.meshlog.schemas.v1.ResponseFlag.DC);
            if (current != null) {
                current.reset();
            }
            if (body == null) {
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
            target.cluster().retryBudget().requestFinished();
            long now = System.nanoTime();
            if (current != null) {
                current.end();
                recordTry(current, ctx.status, ctx.flags | tryFlags(current), retrySuppressed);
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
