package io.meshlog.proxy.telemetry;

import io.meshlog.schemas.v1.RequestTelemetry;

/**
 * Where the request path hands each finished attempt's telemetry. Implementations must return at
 * once: never block, never throw, never grow without bound (drop and count instead).
 */
public interface TelemetrySink extends AutoCloseable {
    /** Discards everything (static mode without telemetry). */
    TelemetrySink NONE = event -> {};

    /** Called on an event-loop thread once per upstream attempt or locally answered request. */
    void record(RequestTelemetry event);

    /** Events dropped because a buffer was full or the sink was closed. */
    default long dropped() {
        return 0;
    }

    @Override
    default void close() {}
}
