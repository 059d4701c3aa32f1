package io.meshlog.pipeline.ingest;

import static io.meshlog.pipeline.PipelineDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.pipeline.PipelineDriver;
import io.meshlog.pipeline.PipelineTopology;
import io.meshlog.pipeline.Policies;
import io.meshlog.pipeline.export.PipelineObserver;
import io.meshlog.pipeline.export.PrometheusObserver;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.v1.AlertSeverity;
import io.meshlog.schemas.v1.BurnRateAlert;
import io.meshlog.schemas.v1.BurnRateRule;
import io.meshlog.schemas.v1.Decision;
import io.meshlog.schemas.v1.EdgeMetrics;
import io.meshlog.schemas.v1.Ejection;
import io.meshlog.schemas.v1.OutlierDetection;
import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.ResponseFlag;
import io.meshlog.schemas.v1.RetryBudgetState;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class SourceReportsOnlyTopologyTest {
    private static final List<String> CALLERS = List.of("web", "api", "batch");
    private static final List<String> ENDPOINTS = List.of("10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080");
    /** What the callee's sidecar reports as the endpoint: the app it fronts, on loopback. */
    private static final String APP_ADDRESS = "127.0.0.1:8080";
    private static final int PER_MINUTE = 120;
    private static final int EVENTS = 12 * PER_MINUTE;

    @Test
    void destinationReportsChangeNoDecisionAlertOrEdgeMetric() {
        // Given
        var callersOnly = run(false, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // When
        var bothSides = run(true, registry);
        // Then
        assertThat(callersOnly.decisions()).as("the scenario decides something")
                .anySatisfy(r -> assertThat(r.value().getPayload()).isInstanceOf(Ejection.class))
                .anySatisfy(r -> assertThat(r.value().getPayload()).isInstanceOf(RetryBudgetState.class));
        assertThat(callersOnly.alerts()).as("the scenario alerts").isNotEmpty();
        assertThat(callersOnly.edges()).as("the scenario closes edge windows").isNotEmpty();
        assertThat(bothSides.decisions()).containsExactlyElementsOf(callersOnly.decisions());
        assertThat(bothSides.decisions()).noneSatisfy(r -> assertThat(r.key()).contains(APP_ADDRESS));
        assertThat(bothSides.alerts()).containsExactlyElementsOf(callersOnly.alerts());
        assertThat(bothSides.edges()).containsExactlyElementsOf(callersOnly.edges());
        assertThat(registry.scrape()).contains(
                "meshlog_pipeline_telemetry_reports_filtered_total{reporter=\"destination\"} " + EVENTS + ".0");
    }

    private record Outputs(List<TestRecord<String, Decision>> decisions,
            List<TestRecord<String, BurnRateAlert>> alerts,
            List<TestRecord<String, EdgeMetrics>> edges) {}

    /**
     * Twelve minutes of three callers on three endpoints; the third fails with 500 in minutes 3
     * to 5; about 1 % of tries time out at the caller (504 UT, while the app answered 200) and
     * are retried. With {@code mirrored}, every try is also reported by the callee's sidecar.
     */
    private static Outputs run(boolean mirrored, PrometheusMeterRegistry registry) {
        var rule = BurnRateRule.newBuilder().setSeverity(AlertSeverity.PAGE)
                .setLongWindow(Duration.ofMinutes(10).toMillis()).setShortWindow(Duration.ofMinutes(2).toMillis())
                .setFactor(2).build();
        try (var pipeline = new PipelineDriver(new PrometheusObserver(registry))) {
            pipeline.send(Policies.destinationRule("orders", OutlierDetection.newBuilder().build(), T0));
            pipeline.send(Policies.retryBudget("orders", 0.2, 1, 10_000, T0));
            pipeline.send(Policies.slo("orders-slo", "orders", 99.0, List.of(rule), T0));
            for (int i = 0; i < EVENTS; i++) {
                var time = T0.plusMillis(60_000L / PER_MINUTE * i);
                var endpoint = ENDPOINTS.get((i / 3) % 3);
                boolean appFails = endpoint.equals(ENDPOINTS.get(2)) && i >= 3 * PER_MINUTE && i < 6 * PER_MINUTE;
                boolean timedOut = i % 97 == 5;
                var caller = PipelineDriver.event(CALLERS.get(i % 3), "orders", endpoint,
                        appFails ? 500 : timedOut ? 504 : 200, time).setDurationMicros(1_000 + 37L * (i % 500));
                if (timedOut) {
                    caller.setResponseFlags(List.of(ResponseFlag.UT));
                }
                if (i % 97 == 6) {
                    caller.setRetry(true).setAttempt(2);
                }
                var report = caller.build();
                pipeline.send(report);
                if (mirrored) {
                    pipeline.send(calleeReport(report, appFails ? 500 : 200));
                }
            }
            pipeline.send(PipelineDriver.event("web", "orders", ENDPOINTS.get(0), 200, T0.plus(Duration.ofMinutes(20)))
                    .build());
            return new Outputs(pipeline.decisions.readRecordsToList(), pipeline.alerts.readRecordsToList(),
                    pipeline.edges.readRecordsToList());
        }
    }

    /** The same try as the callee's sidecar reports it: its app's address, no retry flag, the app's status. */
    private static RequestTelemetry calleeReport(RequestTelemetry caller, int appStatus) {
        return RequestTelemetry.newBuilder(caller).setReporter(Reporter.DESTINATION)
                .setProxyId("orders-" + caller.getDestinationEndpoint() + "-proxy")
                .setDestinationEndpoint(APP_ADDRESS).setRetry(false).setAttempt(1).setStatus(appStatus)
                .setResponseFlags(List.of()).build();
    }

    @Test
    void theTelemetrySourceFeedsOnlyTheFilter() {
        var topology = PipelineTopology.build(TopicCatalogue.standard(), PipelineObserver.NONE).describe();
        var source = topology.subtopologies().stream().flatMap(s -> s.nodes().stream())
                .filter(n -> n.name().equals("telemetry-source")).findFirst().orElseThrow();
        assertThat(source.successors()).extracting(TopologyDescription.Node::name)
                .containsExactly(SourceReportsOnly.PROCESSOR);
    }
}
