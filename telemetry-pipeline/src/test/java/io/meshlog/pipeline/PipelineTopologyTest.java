package io.meshlog.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.pipeline.export.PipelineObserver;
import io.meshlog.schemas.topics.TopicCatalogue;
import org.junit.jupiter.api.Test;

class PipelineTopologyTest {
    @Test
    void everyProcessorStoreAndRepartitionTopicHasAGivenName() {
        var description = PipelineTopology.build(TopicCatalogue.standard(), PipelineObserver.NONE).describe().toString();
        assertThat(description).doesNotContainPattern("KSTREAM-|KTABLE-|-\\d{10}");
        assertThat(description).contains("telemetry-source-reports-only", "policies-by-service-repartition",
                "outlier-ejection", "retry-budget", "burnrate-alerts", "edge-metrics", "outlier-endpoints",
                "burnrate-buckets", "edge-windows");
    }

    @Test
    void onlyTheChosenTopologiesAreBuiltAndEdgesAloneNeedNoPolicies() {
        var edges = PipelineTopology.build(TopicCatalogue.standard(), PipelineObserver.NONE, "meshlog-system",
                java.util.EnumSet.of(io.meshlog.pipeline.config.PipelinePart.EDGES)).describe().toString();
        assertThat(edges).contains("edge-metrics").doesNotContain("policies-by-service", "outlier-ejection", "burnrate-alerts");
        var outlier = PipelineTopology.build(TopicCatalogue.standard(), PipelineObserver.NONE, "meshlog-system",
                java.util.EnumSet.of(io.meshlog.pipeline.config.PipelinePart.OUTLIER)).describe().toString();
        assertThat(outlier).contains("outlier-ejection", "policies-by-service-repartition")
                .doesNotContain("edge-metrics", "retry-budget", "burnrate-alerts");
    }
}
