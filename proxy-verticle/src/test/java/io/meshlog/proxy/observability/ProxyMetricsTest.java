package io.meshlog.proxy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ProxyMetrics metrics = new ProxyMetrics(registry, "cart");

    private static ProxyMetrics.Key key(String reporter) {
        var cart = WorkloadMetadata.of("cart", "shop", Map.of("app", "cart"));
        var orders = WorkloadMetadata.of("orders", "shop", Map.of("app", "orders"));
        return new ProxyMetrics.Key(reporter, cart, "unknown", orders, "unknown", "orders.shop.svc.cluster.local",
                "orders", "shop", "http", 200, "", "-", "unknown");
    }

    private List<String> requestsTotalLines() {
        return registry.scrape().lines().filter(line -> line.startsWith("istio_requests_total{")).toList();
    }

    @Test
    void aDisabledMetricIsNeitherRecordedNorExposedWhileTheOthersAre() {
        var policy = new MetricsPolicy.Builder().disabled(List.of(RequestMetric.REQUEST_COUNT), true, false, true).build();

        metrics.request(key("source"), policy, 12, 10, 20);
        metrics.request(key("destination"), policy, 12, 10, 20);

        assertThat(requestsTotalLines()).as("only the server side's count").singleElement()
                .satisfies(line -> assertThat(line).contains("reporter=\"destination\""));
        assertThat(registry.scrape()).contains("istio_request_duration_milliseconds_count{")
                .containsPattern("istio_request_duration_milliseconds_count\\{[^}]*reporter=\"source\"");
    }

    @Test
    void removedLabelsAreLeftOutAndUpsertedLiteralsSetNextToSeriesWithTheFullLabelSet() {
        metrics.request(key("source"), MetricsPolicy.DEFAULT, 1, 1, 1);
        var policy = new MetricsPolicy.Builder()
                .remove(List.of(RequestMetric.REQUEST_COUNT), true, true, "request_protocol")
                .upsert(List.of(RequestMetric.REQUEST_COUNT), true, true, "source_cluster", "east").build();

        metrics.request(key("source"), policy, 1, 1, 1);
        metrics.request(key("source"), policy, 1, 1, 1);

        assertThat(requestsTotalLines()).hasSize(2)
                .anySatisfy(line -> assertThat(line).contains("request_protocol=\"http\"").contains("source_cluster=\"Kubernetes\"")
                        .endsWith(" 1.0"))
                .anySatisfy(line -> assertThat(line).doesNotContain("request_protocol=").contains("source_cluster=\"east\"")
                        .endsWith(" 2.0"));
    }
}
