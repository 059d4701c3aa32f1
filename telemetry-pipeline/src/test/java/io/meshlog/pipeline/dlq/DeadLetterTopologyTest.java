package io.meshlog.pipeline.dlq;

import static io.meshlog.pipeline.PipelineDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.pipeline.PipelineDriver;
import io.meshlog.pipeline.export.PrometheusObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Garbage on the telemetry topic is handed to the dead-letter handler, counted, and skipped.
 * (TopologyTestDriver does not produce a handler's dead-letter records; {@link DeadLetterHandlerTest}
 * checks the records and PipelineScaleOutIT sees them on a real broker.)
 */
class DeadLetterTopologyTest {
    @Test
    void garbageIsCountedAndProcessingGoesOn() {
        var registry = new SimpleMeterRegistry();
        try (var pipeline = new PipelineDriver(new PrometheusObserver(registry))) {
            pipeline.send(PipelineDriver.event("web", "orders", "e:1", 200, T0).build());
            pipeline.rawTelemetry.pipeInput("orders", "garbage".getBytes(StandardCharsets.UTF_8), T0.plusMillis(1));
            var unknownSchema = new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 42};
            pipeline.rawTelemetry.pipeInput("orders", unknownSchema, T0.plusMillis(2));
            pipeline.send(PipelineDriver.event("web", "orders", "e:1", 200, T0.plusSeconds(30)).build());

            assertThat(registry.get("meshlog.pipeline.dead.letters").tag("topic", "t.mesh.telemetry.requests.v1")
                    .counter().count()).isEqualTo(2);
            assertThat(pipeline.edges.readValuesToList()).as("good records after the garbage still flow")
                    .singleElement().extracting(m -> m.getRequests()).isEqualTo(1L);
        }
    }
}
