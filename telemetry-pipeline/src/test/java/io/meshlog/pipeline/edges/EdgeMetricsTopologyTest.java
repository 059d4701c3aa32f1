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
    void sidecarOverheadIsAggregatedPerEdgeBesideTheLatencyAndUnmeasuredEventsAreLeftOut() {
        try (var pipeline = new PipelineDriver()) {
            for (int i = 1; i <= 100; i++) {
                pipeline.send(PipelineDriver.event("web", "orders", "e:1", 200, T0.plusMillis(90L * i))
                        .setDurationMicros(20_000).setProxyMicros(i * 100L).build());
            }
            pipeline.send(PipelineDriver.event("web", "orders", "e:1", 200, T0.plusSeconds(9)).setProxyMicros(0).build());

            pipeline.send(PipelineDriver.event("web", "orders", "e:1", 200, T0.plusSeconds(15)).build());
            var web = pipeline.edges.readValuesToList().get(0);
            // Overheads 0.1..10 ms; the event without a measurement (0) is counted as a request only.
            assertThat(web.getRequests()).isEqualTo(101);
            assertThat(web.getOverheadP50Millis()).isCloseTo(5.0, within(0.05));
            assertThat(web.getOverheadP95Millis()).isCloseTo(9.5, within(0.1));
            assertThat(web.getOverheadP99Millis()).isCloseTo(9.9, within(0.1));
            assertThat(web.getP50Millis()).isCloseTo(20, within(0.2));
            assertThat(EdgeAccumulator.overheadHistogramOf(web).getTotalCount()).isEqualTo(100);
        }
    }

    @Test
    void stateWrittenBeforeTheOverheadHistogramStillDecodes() {
        var acc = new EdgeAccumulator();
        acc.add(PipelineDriver.event("web", "orders", "e:1", 200, T0).setProxyMicros(300).build());
        var current = acc.encode();
        var latencyOnly = new org.HdrHistogram.Histogram(1, EdgeAccumulator.HIGHEST_MICROS, EdgeAccumulator.SIGNIFICANT_DIGITS);
        var old = java.nio.ByteBuffer.allocate(6 * Long.BYTES + latencyOnly.getNeededByteBufferCapacity());
        old.putLong(1).putLong(0).putLong(0).putLong(0).putLong(0).putLong(0);
        latencyOnly.encodeIntoByteBuffer(old);
        var oldBytes = java.util.Arrays.copyOf(old.array(), old.position());

        assertThat(EdgeAccumulator.decode(oldBytes).requests()).isEqualTo(1);
        assertThat(EdgeAccumulator.decode(current).toMetrics("web", "orders", 0, 10_000).getOverheadP50Millis())
                .isCloseTo(0.3, within(0.01));
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
