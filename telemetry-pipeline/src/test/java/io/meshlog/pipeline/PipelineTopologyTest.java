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
}
