package io.meshlog.pipeline.export;

import io.meshlog.schemas.v1.AlertState;
import io.meshlog.schemas.v1.BurnRateAlert;
import io.meshlog.schemas.v1.CanaryPhase;
import io.meshlog.schemas.v1.CanaryStatus;
import io.meshlog.schemas.v1.CanaryStepMetrics;
import io.meshlog.schemas.v1.EdgeMetrics;
import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RetryBudgetState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pipeline's metrics for Grafana, fed by what the processors emit; every name starts with
 * {@code meshlog_pipeline_} once the Prometheus registry renders it. Labels are services, edges,
 * SLOs and windows only (never endpoints), each family capped at {@value #MAX_SERIES} series.
 */
public final class PrometheusObserver implements PipelineObserver {
    static final int MAX_SERIES = 2000;

    static final String EDGE_REQUEST_RATE = "meshlog.pipeline.edge.request.rate";
    static final String EDGE_ERROR_RATIO = "meshlog.pipeline.edge.error.ratio";
    static final String EDGE_LATENCY = "meshlog.pipeline.edge.latency";
    static final String EDGE_OVERHEAD = "meshlog.pipeline.edge.sidecar.overhead";
    static final String BURN_RATE = "meshlog.pipeline.slo.burn.rate";
    static final String ERROR_BUDGET = "meshlog.pipeline.slo.error.budget.remaining";
    static final String ALERT_FIRING = "meshlog.pipeline.slo.alert.firing";
    static final String EJECTIONS = "meshlog.pipeline.ejections.active";
    static final String RETRY_REMAINING = "meshlog.pipeline.retry.budget.remaining";
    static final String RETRY_EXHAUSTED = "meshlog.pipeline.retry.budget.exhausted";
    static final String DEAD_LETTERS = "meshlog.pipeline.dead.letters";
    static final String CANARY_PHASE = "meshlog.pipeline.canary.phase";
    static final String CANARY_WEIGHT = "meshlog.pipeline.canary.weight";
    static final String CANARY_SUCCESS_RATE = "meshlog.pipeline.canary.step.success.rate";
    static final String CANARY_P99 = "meshlog.pipeline.canary.step.latency.p99";
    static final String MIRROR_REQUESTS = "meshlog.pipeline.mirror.requests";
    static final String MIRROR_STATUS_MISMATCH = "meshlog.pipeline.mirror.status.mismatch.ratio";
    static final String MIRROR_BODY_MISMATCH = "meshlog.pipeline.mirror.body.mismatch.ratio";
    static final String MIRROR_LATENCY_DIFFERENCE = "meshlog.pipeline.mirror.latency.difference";
    static final String REPORTS_FILTERED = "meshlog.pipeline.telemetry.reports.filtered";
    static final String SERIES_DROPPED = "meshlog.pipeline.metrics.series.dropped";

    private final MeterRegistry registry;
    private final GaugeFamily edgeRate;
    private final GaugeFamily edgeErrors;
    private final GaugeFamily edgeLatency;
    private final GaugeFamily edgeOverhead;
    private final GaugeFamily burnRate;
    private final GaugeFamily errorBudget;
    private final GaugeFamily alertFiring;
    private final GaugeFamily ejections;
    private final GaugeFamily retryRemaining;
    private final GaugeFamily retryExhausted;
    private final GaugeFamily canaryPhase;
    private final GaugeFamily canaryWeight;
    private final GaugeFamily canarySuccessRate;
    private final GaugeFamily canaryP99;
    private final GaugeFamily mirrorRequests;
    private final GaugeFamily mirrorStatusMismatch;
    private final GaugeFamily mirrorBodyMismatch;
    private final GaugeFamily mirrorLatencyDifference;
    private final Map<String, Set<String>> ejectedByService = new ConcurrentHashMap<>();
    private final Map<Reporter, Counter> reportsFiltered = new EnumMap<>(Reporter.class);

    public PrometheusObserver(MeterRegistry registry) {
        this.registry = registry;
        var dropped = Counter.builder(SERIES_DROPPED)
                .description("Metric series not created because a family reached its cap")
                .register(registry);
        var edge = List.of("source", "destination");
        var slo = List.of("slo_namespace", "slo", "service");
        edgeRate = new GaugeFamily(registry, EDGE_REQUEST_RATE,
                "Requests per second on the edge in its last closed window", "requests_per_second", edge, MAX_SERIES, dropped);
        edgeErrors = new GaugeFamily(registry, EDGE_ERROR_RATIO,
                "Share of 5xx (or no response) on the edge in its last closed window", "ratio", edge, MAX_SERIES, dropped);
        edgeLatency = new GaugeFamily(registry, EDGE_LATENCY, "Latency quantile on the edge in its last closed window",
                "milliseconds", List.of("source", "destination", "quantile"), MAX_SERIES, dropped);
        edgeOverhead = new GaugeFamily(registry, EDGE_OVERHEAD, "Sidecar overhead per hop (the time the proxies "
                + "themselves added) quantile on the edge in its last closed window",
                "milliseconds", List.of("source", "destination", "quantile"), MAX_SERIES, dropped);
        burnRate = new GaugeFamily(registry, BURN_RATE, "Error budget burn rate of an SLO over a window",
                null, List.of("slo_namespace", "slo", "service", "window"), MAX_SERIES, dropped);
        errorBudget = new GaugeFamily(registry, ERROR_BUDGET,
                "Share of the SLO window's error budget left (1 untouched, below 0 overspent)", "ratio", slo,
                MAX_SERIES, dropped);
        alertFiring = new GaugeFamily(registry, ALERT_FIRING, "1 while the burn-rate alert fires",
                null, List.of("slo_namespace", "slo", "service", "severity"), MAX_SERIES, dropped);
        ejections = new GaugeFamily(registry, EJECTIONS, "Endpoints of the service ejected cluster-wide",
                null, List.of("service"), MAX_SERIES, dropped);
        retryRemaining = new GaugeFamily(registry, RETRY_REMAINING, "Retries the service's budget still allows",
                null, List.of("service"), MAX_SERIES, dropped);
        retryExhausted = new GaugeFamily(registry, RETRY_EXHAUSTED, "1 while the service's retry budget is exhausted",
                null, List.of("service"), MAX_SERIES, dropped);
        var canary = List.of("namespace", "canary", "service");
        var canarySubset = List.of("namespace", "canary", "service", "subset");
        canaryPhase = new GaugeFamily(registry, CANARY_PHASE, "1 for the canary's current phase, 0 for the others",
                null, List.of("namespace", "canary", "service", "phase"), MAX_SERIES, dropped);
        canaryWeight = new GaugeFamily(registry, CANARY_WEIGHT, "Percent of requests the canary's route sends to the canary",
                null, canary, MAX_SERIES, dropped);
        canarySuccessRate = new GaugeFamily(registry, CANARY_SUCCESS_RATE,
                "Success rate (percent) of the canary or stable subset's requests in the current step, over the same time",
                null, canarySubset, MAX_SERIES, dropped);
        canaryP99 = new GaugeFamily(registry, CANARY_P99,
                "p99 latency of the canary or stable subset's requests in the current step, over the same time",
                "milliseconds", canarySubset, MAX_SERIES, dropped);
        var route = List.of("service", "route");
        mirrorRequests = new GaugeFamily(registry, MIRROR_REQUESTS,
                "Mirrored requests of the route whose shadow ended, in its last closed window", null, route, MAX_SERIES, dropped);
        mirrorStatusMismatch = new GaugeFamily(registry, MIRROR_STATUS_MISMATCH,
                "Share of mirrored requests whose shadow answered with another status, last closed window", "ratio", route,
                MAX_SERIES, dropped);
        mirrorBodyMismatch = new GaugeFamily(registry, MIRROR_BODY_MISMATCH,
                "Share of compared response bodies (both answered) that differed, last closed window", "ratio", route,
                MAX_SERIES, dropped);
        mirrorLatencyDifference = new GaugeFamily(registry, MIRROR_LATENCY_DIFFERENCE,
                "Mean shadow duration minus mean primary duration, last closed window", "milliseconds", route,
                MAX_SERIES, dropped);
        for (var reporter : Reporter.values()) {
            if (reporter != Reporter.SOURCE) {
                reportsFiltered.put(reporter, Counter.builder(REPORTS_FILTERED)
                        .description("Telemetry reports left out because only the caller's (reporter=SOURCE) counts")
                        .tag("reporter", reporter.name().toLowerCase(Locale.ROOT)).register(registry));
            }
        }
    }

    @Override
    public void onEjectionState(String service, String endpoint, boolean ejected) {
        var set = ejectedByService.computeIfAbsent(service, s -> ConcurrentHashMap.newKeySet());
        if (ejected) {
            set.add(endpoint);
        } else {
            set.remove(endpoint);
        }
        ejections.set(set.size(), service);
    }

    @Override
    public void onRetryBudget(RetryBudgetState state) {
        retryRemaining.set(state.getRemaining(), state.getService());
        retryExhausted.set(state.getExhausted() ? 1 : 0, state.getService());
    }

    @Override
    public void onBurnRate(String sloNamespace, String sloName, String service, long windowMillis, double rate) {
        burnRate.set(rate, sloNamespace, sloName, service, windowLabel(windowMillis));
    }

    @Override
    public void onErrorBudget(String sloNamespace, String sloName, String service, double remaining) {
        errorBudget.set(remaining, sloNamespace, sloName, service);
    }

    @Override
    public void onAlert(BurnRateAlert alert) {
        alertFiring.set(alert.getState() == AlertState.FIRING ? 1 : 0, alert.getSloNamespace(),
                alert.getSloName(), alert.getService(), alert.getSeverity().name().toLowerCase(Locale.ROOT));
    }

    @Override
    public void onEdgeMetrics(EdgeMetrics m) {
        double seconds = Math.max(1, m.getWindowEnd().toEpochMilli() - m.getWindowStart().toEpochMilli()) / 1000.0;
        edgeRate.set(m.getRequests() / seconds, m.getSource(), m.getDestination());
        edgeErrors.set(m.getRequests() == 0 ? 0 : (double) m.getErrors5xx() / m.getRequests(),
                m.getSource(), m.getDestination());
        edgeLatency.set(m.getP50Millis(), m.getSource(), m.getDestination(), "0.5");
        edgeLatency.set(m.getP95Millis(), m.getSource(), m.getDestination(), "0.95");
        edgeLatency.set(m.getP99Millis(), m.getSource(), m.getDestination(), "0.99");
        edgeOverhead.set(m.getOverheadP50Millis(), m.getSource(), m.getDestination(), "0.5");
        edgeOverhead.set(m.getOverheadP95Millis(), m.getSource(), m.getDestination(), "0.95");
        edgeOverhead.set(m.getOverheadP99Millis(), m.getSource(), m.getDestination(), "0.99");
    }

    @Override
    public void onShadowComparison(String service, String route, long requests, double statusMismatchRatio,
            double bodyMismatchRatio, double latencyDifferenceMillis) {
        mirrorRequests.set(requests, service, route);
        mirrorStatusMismatch.set(statusMismatchRatio, service, route);
        mirrorBodyMismatch.set(bodyMismatchRatio, service, route);
        mirrorLatencyDifference.set(latencyDifferenceMillis, service, route);
    }

    @Override
    public void onCanaryStatus(CanaryStatus s) {
        for (var phase : CanaryPhase.values()) {
            canaryPhase.set(phase == s.getPhase() ? 1 : 0, s.getNamespace(), s.getName(), s.getService(), phase.name());
        }
        canaryWeight.set(s.getCanaryWeight(), s.getNamespace(), s.getName(), s.getService());
        subset(s, "canary", s.getCanary());
        subset(s, "stable", s.getStable());
    }

    private void subset(CanaryStatus s, String subset, CanaryStepMetrics metrics) {
        // A step without requests has no value: NaN, which Prometheus shows as a gap, never as 0 or 100.
        canarySuccessRate.set(metrics.getSuccessRate() == null ? Double.NaN : metrics.getSuccessRate(),
                s.getNamespace(), s.getName(), s.getService(), subset);
        canaryP99.set(metrics.getP99Millis() == null ? Double.NaN : metrics.getP99Millis(),
                s.getNamespace(), s.getName(), s.getService(), subset);
    }

    @Override
    public void onReportFiltered(Reporter reporter) {
        var counter = reportsFiltered.get(reporter);
        if (counter != null) {
            counter.increment();
        }
    }

    @Override
    public void onDeadLetter(String sourceTopic) {
        Counter.builder(DEAD_LETTERS).description("Undecodable records sent to the dead-letter topic")
                .tag("topic", sourceTopic).register(registry).increment();
    }

    /** 300000 → "5m", 3600000 → "1h", 86400000 → "1d". */
    static String windowLabel(long millis) {
        var d = Duration.ofMillis(millis);
        if (d.toDaysPart() > 0 && d.toHoursPart() == 0 && d.toMinutesPart() == 0) {
            return d.toDays() + "d";
        }
        if (d.toMinutesPart() == 0 && d.toSecondsPart() == 0) {
            return d.toHours() + "h";
        }
        return d.toMinutes() + "m";
    }
}
