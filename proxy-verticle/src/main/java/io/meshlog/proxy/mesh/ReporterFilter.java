package io.meshlog.proxy.mesh;

import io.meshlog.proxy.telemetry.TelemetrySink;
import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RequestTelemetry;
import java.util.Set;

/**
 * Passes on the telemetry of the chosen reporters only (caller side, called side, or both), and
 * every event that records what an OBSERVE-mode sidecar would have enforced whoever reported it:
 * deny and plaintext-under-STRICT are decided by the callee, and {@code meshctl rollout status}
 * must see them where only callers report (as in {@code meshlog dev}).
 */
final class ReporterFilter implements TelemetrySink {
    private final TelemetrySink sink;
    private final Set<Reporter> reporters;

    private ReporterFilter(TelemetrySink sink, Set<Reporter> reporters) {
        this.sink = sink;
        this.reporters = reporters;
    }

    /** {@code sink} itself when every reporter is wanted. */
    static TelemetrySink of(TelemetrySink sink, Set<Reporter> reporters) {
        return reporters.containsAll(Set.of(Reporter.values())) ? sink : new ReporterFilter(sink, Set.copyOf(reporters));
    }

    @Override
    public void record(RequestTelemetry event) {
        if (reporters.contains(event.getReporter()) || !event.getWouldHave().isEmpty()) {
            sink.record(event);
        }
    }

    @Override
    public long dropped() {
        return sink.dropped();
    }

    @Override
    public void close() {
        sink.close();
    }
}
