package io.meshlog.pipeline.export;

import io.meshlog.schemas.v1.BurnRateAlert;
import io.meshlog.schemas.v1.CanaryStatus;
import io.meshlog.schemas.v1.EdgeMetrics;
import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RetryBudgetState;

/**
 * What the decision processors tell the metrics layer as they emit (events, then metrics: the
 * processors know nothing of Micrometer). Called on stream threads; implementations must be
 * thread-safe and cheap. Every method defaults to doing nothing.
 */
public interface PipelineObserver {
    /** Observes nothing. */
    PipelineObserver NONE = new PipelineObserver() {};

    /** An endpoint was ejected ({@code ejected}) or is back; also false when its task moves away. */
    default void onEjectionState(String service, String endpoint, boolean ejected) {}

    /** A retry budget state was emitted. */
    default void onRetryBudget(RetryBudgetState state) {}

    /** The current burn rate of an SLO over one window. */
    default void onBurnRate(String sloNamespace, String sloName, String service, long windowMillis,
            double burnRate) {}

    /** The fraction of an SLO's error budget left over its whole window. */
    default void onErrorBudget(String sloNamespace, String sloName, String service, double remaining) {}

    /** A burn-rate alert transition was emitted. */
    default void onAlert(BurnRateAlert alert) {}

    /** An edge's window closed. */
    default void onEdgeMetrics(EdgeMetrics metrics) {}

    /** A telemetry report of {@code reporter} was left out (only the caller's report counts). */
    default void onReportFiltered(Reporter reporter) {}

    /**
     * A route's shadow vs primary comparison of one closed window was emitted (ratios NaN when
     * nothing was compared).
     */
    default void onShadowComparison(String service, String route, long requests, double statusMismatchRatio,
            double bodyMismatchRatio, double latencyDifferenceMillis) {}

    /** The canary controller emitted a status. */
    default void onCanaryStatus(CanaryStatus status) {}

    /** A record of {@code sourceTopic} could not be decoded and went to the dead-letter topic. */
    default void onDeadLetter(String sourceTopic) {}
}
