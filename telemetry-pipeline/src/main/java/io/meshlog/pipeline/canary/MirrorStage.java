package io.meshlog.pipeline.canary;

import io.meshlog.pipeline.mirror.ShadowTally;
import io.meshlog.policy.model.CanarySteps;
import io.meshlog.schemas.v1.CanaryAnalysis;
import io.meshlog.schemas.v1.CanaryMirrorMetrics;
import io.meshlog.schemas.v1.CanaryStatus;
import io.meshlog.schemas.v1.RequestTelemetry;
import java.util.Locale;

/**
 * Flagger's mirror stage ({@code analysis.mirror: true}): before the first weighted step, the
 * Canary's route keeps every request on stable and mirrors {@code mirrorWeight} percent of them to
 * the canary; the proxies put the canary's answer beside stable's on each event, and the stage
 * checks {@value CanarySteps#SHADOW_STATUS_MISMATCH} and {@value CanarySteps#SHADOW_BODY_MISMATCH}
 * (percent, {@link ShadowTally}'s definition) once {@code minRequests} copies ended. Its counts live
 * in the status ({@code CanaryStatus.mirror}, null outside the stage), so they are stored and
 * restored with it.
 */
final class MirrorStage {
    private MirrorStage() {}

    /** Whether the run is in its mirror stage. */
    static boolean active(CanaryStatus status) {
        return status.getMirror() != null;
    }

    /** Enters the stage when the analysis asks for it. */
    static void enterIfAsked(CanaryStatus status, CanaryAnalysis analysis) {
        status.setMirror(analysis.getMirror() ? empty() : null);
    }

    static void leave(CanaryStatus status) {
        status.setMirror(null);
    }

    static void reset(CanaryStatus status) {
        if (active(status)) {
            status.setMirror(empty());
        }
    }

    /** Counts one stable request whose copy went to the canary; false for any other request. */
    static boolean record(CanaryStatus status, RequestTelemetry event) {
        if (!ShadowTally.mirrored(event) || !status.getStableSubset().equals(event.getDestinationSubset())) {
            return false;
        }
        var m = status.getMirror();
        m.setRequests(m.getRequests() + 1);
        m.setStatusMismatches(m.getStatusMismatches() + (ShadowTally.statusMismatch(event) ? 1 : 0));
        m.setBodiesCompared(m.getBodiesCompared() + (ShadowTally.bodiesCompared(event) ? 1 : 0));
        m.setBodyMismatches(m.getBodyMismatches() + (ShadowTally.bodyMismatch(event) ? 1 : 0));
        return true;
    }

    static long requests(CanaryStatus status) {
        return status.getMirror().getRequests();
    }

    /** The value of a shadow metric in percent; NaN when nothing was compared (never a pass). */
    static double value(CanaryStatus status, String metric) {
        var m = status.getMirror();
        if (CanarySteps.SHADOW_STATUS_MISMATCH.equals(metric)) {
            return m.getRequests() == 0 ? Double.NaN : 100.0 * m.getStatusMismatches() / m.getRequests();
        }
        return m.getBodiesCompared() == 0 ? Double.NaN : 100.0 * m.getBodyMismatches() / m.getBodiesCompared();
    }

    static String describe(CanaryStatus status, int minRequests) {
        var m = status.getMirror();
        return String.format(Locale.ROOT, "mirror stage: %d mirrored requests compared (need %d), %d status and %d of %d "
                + "body mismatches; no real request goes to the canary yet", m.getRequests(), minRequests,
                m.getStatusMismatches(), m.getBodyMismatches(), m.getBodiesCompared());
    }

    private static CanaryMirrorMetrics empty() {
        return CanaryMirrorMetrics.newBuilder().setRequests(0).setStatusMismatches(0).setBodiesCompared(0)
                .setBodyMismatches(0).build();
    }
}
