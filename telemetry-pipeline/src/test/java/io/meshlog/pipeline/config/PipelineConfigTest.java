package io.meshlog.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.pipeline.dlq.DeadLetterHandler;
import io.meshlog.pipeline.export.PipelineObserver;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class PipelineConfigTest {
    @Test
    void readsKeysPrefixAndPassThroughSettings() {
        var config = PipelineConfig.fromMap(Map.of("bootstrap.servers", "127.0.0.1:9092", "topic.prefix", "x.",
                "metrics.port", "0", "kafka.streams.num.stream.threads", "2"));
        assertThat(config.applicationId()).isEqualTo("meshlog-pipeline");
        assertThat(config.topics().telemetry().name()).isEqualTo("x.mesh.telemetry.requests.v1");
        assertThat(config.streams()).containsEntry("num.stream.threads", "2");

        var props = StreamsSettings.of(config, PipelineObserver.NONE);
        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
        assertThat(props.get("num.stream.threads")).isEqualTo("2");
        assertThat(props.get(DeadLetterHandler.TOPIC_CONFIG)).isEqualTo("x.mesh.dlq.v1");
    }

    @Test
    void topologiesAreAllByDefaultAndAnUnknownNameIsRefused() {
        var base = Map.of("bootstrap.servers", "b:1");
        assertThat(PipelineConfig.fromMap(base).parts()).containsExactlyInAnyOrder(PipelinePart.values());
        var some = new java.util.HashMap<>(base);
        some.put("topologies", "edges, burn-rate");
        assertThat(PipelineConfig.fromMap(some).parts()).containsExactlyInAnyOrder(PipelinePart.EDGES, PipelinePart.BURN_RATE);
        some.put("topologies", "edges,outliers");
        assertThatThrownBy(() -> PipelineConfig.fromMap(some)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("topologies:").hasMessageContaining("'outliers'");
    }

    @Test
    void environmentNamesMapToKeys() {
        assertThat(PipelineConfig.fromEnvironment(Map.of("MESHLOG_PIPELINE_METRICS_PORT", "9000",
                "MESHLOG_PIPELINE_KAFKA_STREAMS_COMMIT_INTERVAL_MS", "100", "HOME", "/root")))
                .containsOnly(Map.entry("metrics.port", "9000"), Map.entry("kafka.streams.commit.interval.ms", "100"));
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> PipelineConfig.fromMap(Map.of("metrics.port", "0")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("bootstrap.servers:");
        assertThatThrownBy(() -> PipelineConfig.fromMap(Map.of("bootstrap.servers", "b:1", "metrics.port", "http")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("metrics.port").hasMessageContaining("'http'");
        assertThatThrownBy(() -> PipelineConfig.fromMap(Map.of("bootstrap.servers", "b:1", "metrics.port", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("between 0 and 65535, but was 70000");
    }
}
