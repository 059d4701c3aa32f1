package io.meshlog.proxy.http;

import io.meshlog.schemas.v1.Reporter;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * The time a hop's sidecars themselves add, as opposed to waiting on the pool, the network and the
 * upstream: this proxy's own part is its work before the first try goes out (parsing done, routing,
 * authorization, limits, picking an endpoint) plus its work between the upstream's response
 * headers and relaying them (retry decision, header edits). The callee's sidecar reports its own
 * part in {@value #HEADER} on the response (as Envoy reports {@code x-envoy-upstream-service-time});
 * the caller's sidecar strips it and adds it, so one SOURCE event carries the whole hop.
 */
public final class SidecarOverhead {
    /** The response header in which a callee's sidecar reports its own overhead in microseconds. */
    public static final String HEADER = "x-meshlog-sidecar-micros";

    private SidecarOverhead() {}

    /** This proxy's own overhead for {@code attempt}, in microseconds. */
    public static long ownMicros(RequestContext ctx, UpstreamAttempt attempt) {
        // Later tries start after a backoff, which is waiting, not work: only the first carries the pre-try part.
        long before = attempt.number() == 1 ? Math.max(0, attempt.startNanos - ctx.startNanos()) : 0;
        long after = attempt.relayedNanos > 0 && attempt.headersNanos > 0
                ? Math.max(0, attempt.relayedNanos - attempt.headersNanos) : 0;
        return (before + after) / 1000;
    }

    /** The hop's overhead: own plus the peer sidecar's report (never more than the upstream wait it is part of). */
    public static long hopMicros(RequestContext ctx, UpstreamAttempt attempt, long nowNanos) {
        return ownMicros(ctx, attempt) + Math.min(attempt.peerSidecarMicros, attempt.upstreamMicros(nowNanos));
    }

    /**
     * At relay time: the callee's sidecar reports its own part to the caller; the caller's takes the
     * report off the response (the app never sees it) and keeps it for the telemetry event.
     */
    static void exchange(RequestContext ctx, UpstreamAttempt attempt, HttpClientResponse upstream,
            HttpServerResponse downstream) {
        attempt.relayedNanos = System.nanoTime();
        if (ctx.reporter() == Reporter.DESTINATION) {
            downstream.headers().set(HEADER, Long.toString(ownMicros(ctx, attempt)));
            return;
        }
        downstream.headers().remove(HEADER);
        attempt.peerSidecarMicros = parse(upstream.getHeader(HEADER));
    }

    private static long parse(String value) {
        if (value == null || value.isEmpty() || value.length() > 12) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value));
        } catch (NumberFormatException e) {
            return 0; // a non-mesh upstream's header of the same name: not a report
        }
    }
}
