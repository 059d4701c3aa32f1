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
}
