package io.meshlog.proxy.it;

import io.meshlog.proxy.telemetry.TelemetrySink;
import io.meshlog.schemas.v1.RequestTelemetry;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Keeps every event, for assertions. */
final class InMemoryTelemetrySink implements TelemetrySink {
    private final ConcurrentLinkedQueue<RequestTelemetry> events = new ConcurrentLinkedQueue<>();

    @Override
    public void record(RequestTelemetry event) {
        events.add(event);
    }

    List<RequestTelemetry> events() {
        return List.copyOf(events);
    }

    void clear() {
        events.clear();
    }
}
