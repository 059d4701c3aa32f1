package io.meshlog.pipeline.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class PrometheusObserverTest {
    @Test
    void seriesAreNamedMeshlogPipelineAndCapped() {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var observer = new PrometheusObserver(registry);
        observer.onEjectionState("orders", "10.0.0.1:80", true);
        observer.onEjectionState("orders", "10.0.0.2:80", true);
        observer.onEjectionState("orders", "10.0.0.1:80", false);
        observer.onBurnRate("default", "orders-slo", "orders", 3_600_000, 15.5);
        observer.onBurnRate("default", "orders-slo", "orders", 300_000, 20);
        observer.onBurnRate("default", "orders-slo", "orders", 259_200_000, 1.2);
        for (int i = 0; i < PrometheusObserver.MAX_SERIES + 5; i++) {
            observer.onErrorBudget("ns", "slo" + i, "svc", 0.5);
        }
        var scrape = registry.scrape();
        assertThat(scrape).contains("meshlog_pipeline_ejections_active{service=\"orders\"} 1.0");
        assertThat(scrape).contains("meshlog_pipeline_slo_burn_rate{service=\"orders\",slo=\"orders-slo\",slo_namespace=\"default\",window=\"1h\"} 15.5");
        assertThat(scrape).contains("window=\"5m\"} 20.0").contains("window=\"3d\"} 1.2");
        assertThat(scrape).contains("meshlog_pipeline_metrics_series_dropped_total 5.0");
        assertThat(scrape).doesNotContain("10.0.0.");
    }

    @Test
    void canaryPhaseWeightAndStepMetricsOfBothSubsets() {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var observer = new PrometheusObserver(registry);
        var canary = io.meshlog.schemas.v1.CanaryStepMetrics.newBuilder().setRequests(20).setFailures(4)
                .setSuccessRate(80.0).setP99Millis(12.5).build();
        var stable = io.meshlog.schemas.v1.CanaryStepMetrics.newBuilder().setRequests(0).setFailures(0).build();
        observer.onCanaryStatus(io.meshlog.schemas.v1.CanaryStatus.newBuilder().setNamespace("shop").setName("orders")
                .setService("orders").setStableSubset("v1").setCanarySubset("v2")
                .setPhase(io.meshlog.schemas.v1.CanaryPhase.Progressing).setCanaryGeneration(1).setStep(0).setSteps(2)
                .setCanaryWeight(25).setFailedChecks(0).setRouteGeneration(3).setRouteAcknowledged(true)
                .setStepStartedAt(java.time.Instant.EPOCH).setCanary(canary).setStable(stable)
                .setUpdatedAt(java.time.Instant.EPOCH).build());

        var scrape = registry.scrape();
        assertThat(scrape).contains("meshlog_pipeline_canary_weight{canary=\"orders\",namespace=\"shop\",service=\"orders\"} 25.0")
                .contains("meshlog_pipeline_canary_phase{canary=\"orders\",namespace=\"shop\",phase=\"Progressing\",service=\"orders\"} 1.0")
                .contains("meshlog_pipeline_canary_phase{canary=\"orders\",namespace=\"shop\",phase=\"Failed\",service=\"orders\"} 0.0")
                .contains("meshlog_pipeline_canary_step_success_rate{canary=\"orders\",namespace=\"shop\",service=\"orders\",subset=\"canary\"} 80.0")
                .contains("meshlog_pipeline_canary_step_latency_p99_milliseconds{canary=\"orders\",namespace=\"shop\",service=\"orders\",subset=\"canary\"} 12.5")
                .contains("meshlog_pipeline_canary_step_success_rate{canary=\"orders\",namespace=\"shop\",service=\"orders\",subset=\"stable\"} NaN");
    }
}
