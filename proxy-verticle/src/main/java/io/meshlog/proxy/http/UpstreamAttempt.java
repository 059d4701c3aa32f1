package io.meshlog.proxy.http;

import io.meshlog.proxy.resilience.AttemptFailure;
import io.meshlog.proxy.resilience.EndpointState;
import io.meshlog.proxy.resilience.RetryExecutor;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;

/**
 * One try against one endpoint: its timing breakdown, and either a (paused) response or why
 * there is none. {@link #discard()} frees a response that a retry replaces.
 */
public final class UpstreamAttempt implements RetryExecutor.AttemptResult {
    final int number;
    final EndpointState endpoint;
    final long startNanos;
    long poolWaitNanos;
    long connectNanos;
    long tlsHandshakeNanos;
    boolean mtls;
    long acquiredNanos;
    long headersNanos;
    /** When this try's response headers were relayed downstream (0 when they were not). */
    long relayedNanos;
    /** What the callee's sidecar reported as its own overhead (0 when none did). */
    long peerSidecarMicros;
    AttemptFailure failure = AttemptFailure.NONE;
    HttpClientRequest request;
    HttpClientResponse response;
    private Runnable onEnd;
    private boolean ended;

    UpstreamAttempt(int number, EndpointState endpoint, long startNanos) {
        this.number = number;
        this.endpoint = endpoint;
        this.startNanos = startNanos;
    }

    public int number() { return number; }
    public long startNanos() { return startNanos; }
    public EndpointState endpoint() { return endpoint; }
    public long poolWaitMicros() { return poolWaitNanos / 1000; }
    public long connectMicros() { return connectNanos / 1000; }
    /** The TLS handshake of the connection this try opened; 0 when it reused one or is plaintext. */
    public long tlsHandshakeMicros() { return tlsHandshakeNanos / 1000; }
    /** Whether this try was sent over mutual TLS. */
    public boolean mtls() { return mtls; }
    public HttpClientResponse response() { return response; }
    public HttpClientRequest request() { return request; }

    @Override
    public int status() {
        return response != null ? response.statusCode() : 0;
    }

    @Override
    public AttemptFailure failure() {
        return failure;
    }

    /** Microseconds from holding a connection to the response headers (or to the failure). */
    public long upstreamMicros(long nowNanos) {
        long from = acquiredNanos > 0 ? acquiredNanos : startNanos;
        long to = headersNanos > 0 ? headersNanos : nowNanos;
        return Math.max(0, (to - from) / 1000);
    }

    void onEnd(Runnable action) {
        this.onEnd = action;
    }

    /** Releases the endpoint and circuit-breaker slots of this try; idempotent. */
    public void end() {
        if (!ended) {
            ended = true;
            if (onEnd != null) {
                onEnd.run();
            }
        }
    }

    @Override
    public void discard() {
        if (response != null) {
            response.handler(null);
            response.endHandler(v -> end());
            response.exceptionHandler(e -> end());
            response.resume();
        } else {
            end();
        }
    }

    /** Abandons the try unless it already ended: resets its stream (the connection, for HTTP/1.1). */
    public void reset() {
        if (request != null && !ended) {
            request.reset();
        }
        end();
    }
}
