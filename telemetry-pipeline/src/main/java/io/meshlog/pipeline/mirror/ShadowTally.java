package io.meshlog.pipeline.mirror;

import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.ShadowComparison;
import java.time.Instant;
import java.util.Objects;

/**
 * The comparison of a shadow with its primary, and its sums: one place that says what a mismatch
 * is. A status mismatch is any other status (a shadow without an answer has status 0); bodies are
 * compared only where both answers had a body hash.
 */
public final class ShadowTally {
    private ShadowTally() {}

    /** Whether {@code event} carries a shadow outcome (the request was mirrored and its shadow ended). */
    public static boolean mirrored(RequestTelemetry event) {
        return event.getShadowStatus() != null;
    }

    public static boolean statusMismatch(RequestTelemetry event) {
        return mirrored(event) && event.getShadowStatus() != event.getStatus();
    }

    public static boolean bodiesCompared(RequestTelemetry event) {
        return mirrored(event) && event.getPrimaryBodyHash() != null && event.getShadowBodyHash() != null;
    }

    public static boolean bodyMismatch(RequestTelemetry event) {
        return bodiesCompared(event) && !Objects.equals(event.getPrimaryBodyHash(), event.getShadowBodyHash());
    }

    /** An empty comparison of {@code service}/{@code route} (the window is set when it closes). */
    public static ShadowComparison empty(String service, String route) {
        return ShadowComparison.newBuilder().setService(service).setRoute(route).setWindowStart(Instant.EPOCH)
                .setWindowEnd(Instant.EPOCH).setRequests(0).setStatusMismatches(0).setBodiesCompared(0)
                .setBodyMismatches(0).setPrimaryDurationMicros(0).setShadowDurationMicros(0).build();
    }

    /** {@code sum} with {@code event} added (in place; returned for the aggregator). */
    public static ShadowComparison add(ShadowComparison sum, RequestTelemetry event) {
        if (!mirrored(event)) {
            return sum;
        }
        sum.setRequests(sum.getRequests() + 1);
        sum.setStatusMismatches(sum.getStatusMismatches() + (statusMismatch(event) ? 1 : 0));
        sum.setBodiesCompared(sum.getBodiesCompared() + (bodiesCompared(event) ? 1 : 0));
        sum.setBodyMismatches(sum.getBodyMismatches() + (bodyMismatch(event) ? 1 : 0));
        sum.setPrimaryDurationMicros(sum.getPrimaryDurationMicros() + event.getDurationMicros());
        sum.setShadowDurationMicros(sum.getShadowDurationMicros()
                + (event.getShadowDurationMicros() == null ? 0 : event.getShadowDurationMicros()));
        return sum;
    }

    /** Share of requests whose shadow answered with another status; NaN without requests. */
    public static double statusMismatchRatio(ShadowComparison c) {
        return c.getRequests() == 0 ? Double.NaN : (double) c.getStatusMismatches() / c.getRequests();
    }

    /** Share of compared bodies that differed; NaN when none was compared. */
    public static double bodyMismatchRatio(ShadowComparison c) {
        return c.getBodiesCompared() == 0 ? Double.NaN : (double) c.getBodyMismatches() / c.getBodiesCompared();
    }

    /** Mean shadow duration minus mean primary duration, milliseconds; NaN without requests. */
    public static double latencyDifferenceMillis(ShadowComparison c) {
        return c.getRequests() == 0 ? Double.NaN
                : (c.getShadowDurationMicros() - c.getPrimaryDurationMicros()) / 1000.0 / c.getRequests();
    }
}
