package io.meshlog.pipeline.ingest;

import io.meshlog.schemas.v1.RequestTelemetry;

/**
 * How many requests one telemetry event stands for. A proxy sampling its successes sends one
 * success for several alike with their number as {@code weight}; every aggregation adds this
 * instead of 1, so counts, rates and burn rates are those of all requests. Events written before
 * the field existed read as 1; a weight below 1 (never written by a proxy) counts as 1 rather than
 * cancelling other requests out.
 */
public final class EventWeight {
    private EventWeight() {}

    /** The event's weight, at least 1. */
    public static int of(RequestTelemetry event) {
        return Math.max(1, event.getWeight());
    }
}
