package io.meshlog.proxy.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/** The telemetry sink's meters: what was sent, what was dropped and why, what is queued. */
final class TelemetrySinkMetrics {
    static final String SENT = "meshlog.proxy.telemetry.sent";
    static final String DROPPED = "meshlog.proxy.telemetry.dropped";
    static final String QUEUED = "meshlog.proxy.telemetry.queued";
    static final String REASON = "reason";

    final Counter sent;
    /** The in-memory queue was full: the producer is behind or blocked. */
    final Counter droppedQueueFull;
    /** The producer refused or gave up on the event (no buffer space, broker unreachable). */
    final Counter droppedProducer;
    /** Recorded after close, or still queued when close gave up waiting. */
    final Counter droppedClosed;

    TelemetrySinkMetrics(MeterRegistry registry, Supplier<Number> queued) {
        sent = Counter.builder(SENT).baseUnit("events")
                .description("Request telemetry events acknowledged by Kafka")
                .register(registry);
        droppedQueueFull = dropped(registry, "queue_full");
        droppedProducer = dropped(registry, "producer");
        droppedClosed = dropped(registry, "closed");
        Gauge.builder(QUEUED, queued).baseUnit("events")
                .description("Request telemetry events waiting for the Kafka producer")
                .register(registry);
    }

    private static Counter dropped(MeterRegistry registry, String reason) {
        return Counter.builder(DROPPED).tag(REASON, reason).baseUnit("events")
                .description("Request telemetry events dropped instead of blocking a request")
                .register(registry);
    }
}
