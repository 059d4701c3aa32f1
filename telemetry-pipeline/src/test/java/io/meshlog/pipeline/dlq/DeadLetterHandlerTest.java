package io.meshlog.pipeline.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.schemas.serde.MeshSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class DeadLetterHandlerTest {
    private static final Instant NOW = Instant.parse("2026-02-01T10:00:00Z");

    @Test
    void undecodableRecordBecomesADeadLetterWithWhereAndWhyAndProcessingResumes() {
        var handler = new DeadLetterHandler(Clock.fixed(NOW, ZoneOffset.UTC));
        handler.configure(Map.of(DeadLetterHandler.TOPIC_CONFIG, "p.mesh.dlq.v1"));
        var garbage = "garbage".getBytes(StandardCharsets.UTF_8);
        var record = new ConsumerRecord<>("p.mesh.telemetry.requests.v1", 4, 1234L, "orders".getBytes(StandardCharsets.UTF_8), garbage);
        Exception failure;
        try {
            MeshSerdes.requestTelemetry().deserialize(record.topic(), garbage);
            throw new AssertionError("garbage decoded");
        } catch (RuntimeException e) {
            failure = e;
        }

        var response = handler.handleError(context(), record, failure);

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(out -> {
            assertThat(out.topic()).isEqualTo("p.mesh.dlq.v1");
            var letter = MeshSerdes.deadLetter().deserialize(out.topic(), out.value());
            assertThat(letter.getSourceTopic()).isEqualTo("p.mesh.telemetry.requests.v1");
            assertThat(letter.getSourcePartition()).isEqualTo(4);
            assertThat(letter.getSourceOffset()).isEqualTo(1234);
            assertThat(letter.getReason()).contains("not an Avro single-object record")
                    .contains("partition 4, offset 1234");
            assertThat(letter.getSchemaFingerprint()).isEqualTo("none");
            assertThat(letter.getValue().array()).isEqualTo(garbage);
            assertThat(letter.getProcessor()).isEqualTo("telemetry-source");
            assertThat(letter.getFailedAt()).isEqualTo(NOW);
        });
    }

    @Test
    void aMissingTopicIsAConfigurationError() {
        assertThatThrownBy(() -> new DeadLetterHandler().configure(Map.of()))
                .hasMessageContaining(DeadLetterHandler.TOPIC_CONFIG);
    }

    private static ErrorHandlerContext context() {
        return new ErrorHandlerContext() {
            @Override public String topic() { return "p.mesh.telemetry.requests.v1"; }
            @Override public int partition() { return 4; }
            @Override public long offset() { return 1234; }
            @Override public Headers headers() { return new RecordHeaders(); }
            @Override public String processorNodeId() { return "telemetry-source"; }
            @Override public TaskId taskId() { return new TaskId(0, 4); }
            @Override public long timestamp() { return 0; }
            @Override public byte[] sourceRawKey() { return null; }
            @Override public byte[] sourceRawValue() { return null; }
        };
    }
}
