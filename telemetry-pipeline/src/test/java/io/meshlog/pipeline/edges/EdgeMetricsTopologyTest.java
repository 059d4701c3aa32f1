package io.meshlog.pipeline.edges;

import static io.meshlog.pipeline.PipelineDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshlog.pipeline.PipelineDriver;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class EdgeMetricsTopologyTest {
    @Test
    void oneRecordPerEdgeAndWindowOnceStreamTimePassesTheGrace() {
        try (var pipeline = new PipelineDriver()) {
            for (int i = 1; i <= 100; i++) {
                int status = i <= 10 ? 503 : i <= 15 ? 404 : 200;
                pipeline.send(PipelineDriver.event("web", "orders", "10.0.0.1:80", status, T0.plusMillis(90L * i))
                        .setDurationMicros(i * 1000L).setRetry(i > 80).setRequestBytes(100).setResponseBytes(1000)
                        .build());
            }
            pipeline.send(PipelineDriver.event("api", "orders", "10.0.0.1:80", 200, T0.plusSeconds(9)).build());
            pipeline.send(PipelineDriver.event("web", "orders", "10.0.0.1:80", 200, T0.plusSeconds(14)).build());
            assertThat(pipeline.edges.readRecordsToList()).as("grace not over").isEmpty();

            pipeline.send(PipelineDriver.event("web", "orders", "10.0.0.1:80", 200, T0.plusSeconds(15)).build());
            var records = pipeline.edges.readRecordsToList();
            assertThat(records).extracting(r -> r.key()).containsExactly("api->orders", "web->orders");
            var web = records.get(1).value();
            assertThat(web.getWindowStart()).isEqualTo(T0);
            assertThat(web.getWindowEnd()).isEqualTo(T0.plusSeconds(10));
            assertThat(web.getRequests()).isEqualTo(100);
            assertThat(web.getErrors5xx()).isEqualTo(10);
            assertThat(web.getErrors4xx()).isEqualTo(5);
            assertThat(web.getRetries()).isEqualTo(20);
            assertThat(web.getRequestBytes()).isEqualTo(10_000);
            assertThat(web.getResponseBytes()).isEqualTo(100_000);
            // Latencies 1..100 ms; two significant digits keep quantiles within 1 %.
            assertThat(web.getP50Millis()).isCloseTo(50, within(0.5));
            assertThat(web.getP95Millis()).isCloseTo(95, within(1.0));
            assertThat(web.getP99Millis()).isCloseTo(99, within(1.0));
            var histogram = EdgeAccumulator.histogramOf(web);
            assertThat(histogram.getTotalCount()).isEqualTo(100);
            histogram.add(EdgeAccumulator.histogramOf(records.get(0).value()));
            assertThat(histogram.getTotalCount()).as("histograms merge").isEqualTo(101);
        }
    }

    @Test
    void lateTelemetryAfterItsWindowClosedIsDropped() {
        try (var pipeline = new PipelineDriver()) {
            pipeline.send(PipelineDriver.event("web", "orders", "e:1", 200, T0).build());
            pipeline.send(PipelineDriver.event("web", "orders", "e:1", 200, T0.plusSeconds(16)).build());
            pipeline.send(PipelineDriver.event("web", "orders", "e:1", 200, T0.plusSeconds(1)).build());
            pipeline.send(PipelineDriver.event("web", "orders", "e:1", 200, T0.plusSeconds(40)).build());
            assertThat(pipeline.edges.readValuesToList()).extracting(m -> m.getRequests()).containsExactly(1L, 1L);
        }
    }

    @Test
    void eachCommitWritesTheChangedWindowsToTheChangelogAndAClosedWindowIsDeleted() {
        try (var pipeline = new PipelineDriver()) {
            var changelog = pipeline.driver.createOutputTopic("pipeline-test-" + EdgeMetricsTopology.STORE + "-changelog",
                    new StringDeserializer(), new ByteArrayDeserializer());
            for (int i = 0; i < 3; i++) {
                pipeline.send(PipelineDriver.event("web", "orders", "e:1", 200, T0.plusSeconds(i)).build());
            }
            var written = changelog.readRecordsToList();
            assertThat(written).extracting(TestRecord::key).containsOnly("%015d|web->orders".formatted(T0.toEpochMilli()));
            assertThat(EdgeAccumulator.decode(written.get(written.size() - 1).value()).requests())
                    .as("what a restarted task would restore").isEqualTo(3);

            pipeline.send(PipelineDriver.event("web", "orders", "e:1", 200, T0.plusSeconds(15)).build());
            assertThat(changelog.readKeyValuesToMap()).containsEntry("%015d|web->orders".formatted(T0.toEpochMilli()), null)
                    .containsKey("%015d|web->orders".formatted(T0.plusSeconds(10).toEpochMilli()));
        }
    }
}
