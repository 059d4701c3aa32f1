package io.meshlog.proxy.tracing;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Tracing as the request path sees it, so call sites never test a flag: {@link #NOOP} when
 * tracing is off, OpenTelemetry when on. Called on event-loop threads; must not block.
 */
public interface RequestTracer {
    /** Tracing off: ids are still made (telemetry needs them), nothing is exported. */
    RequestTracer NOOP = new NoopRequestTracer();

    /**
     * Starts the span of one request as this proxy received it.
     *
     * @param name span name, e.g. {@code "orders outbound"}
     * @param kind SERVER for the inbound listener, CLIENT for the outbound one
     * @param incomingHeaders the request's headers (W3C traceparent / b3 are read from them),
     *     lower-case names
     */
    default RequestSpan start(String name, SpanKind kind, Map<String, String> incomingHeaders) {
        return start(name, kind, incomingHeaders, TraceSettings.DEFAULT);
    }

    /**
     * As above, under the Telemetry policies in force: their sampling percentage decides new traces
     * (an incoming decision is still honoured) and their custom tags become span attributes.
     */
    RequestSpan start(String name, SpanKind kind, Map<String, String> incomingHeaders, TraceSettings settings);

    enum SpanKind { SERVER, CLIENT }

    /** One span in flight. */
    interface RequestSpan {
        /** 32 hex digits; a new trace id when the request carried none. */
        String traceId();

        /** 16 hex digits. */
        String spanId();

        /** Writes traceparent (and b3 when configured) for the upstream request. */
        void inject(BiConsumer<String, String> headerSetter);

        /** Records the outcome and ends the span. */
        void end(int status, String responseFlags, Map<String, String> attributes);
    }
}
