package io.meshlog.pipeline.edges;

import static io.meshlog.pipeline.PipelineDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.pipeline.PipelineDriver;
import io.meshlog.pipeline.export.PipelineObserver;
import io.meshlog.pipeline.state.CommitFlushedStore;
import io.meshlog.pipeline.state.CommitFlushedStoreBuilder;
import io.meshlog.schemas.v1.EdgeMetrics;
import io.meshlog.schemas.v1.RequestTelemetry;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class EdgeWindowProcessorTest {
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofSeconds(5);

    @Test
    void aNewProcessorOnTheSameStoreGoesOnWithWhatTheLastCommitWrote() {
        // Given
        var context = new MockProcessorContext<String, EdgeMetrics>();
        var store = new CommitFlushedStoreBuilder(EdgeMetricsTopology.STORE).build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        var first = new EdgeWindowProcessor(WINDOW, GRACE, PipelineObserver.NONE);
        first.init(context);
        for (int i = 0; i < 3; i++) {
            first.process(record(PipelineDriver.event("web", "orders", "e:1", 503, T0.plusSeconds(i)).build()));
        }
        first.process(record(PipelineDriver.event("api", "orders", "e:1", 200, T0.plusSeconds(4)).build()));
        commit(store);
        // Not committed: a crash loses it, and the input offset with it.
        first.process(record(PipelineDriver.event("web", "orders", "e:1", 200, T0.plusSeconds(5)).build()));

        // When
        var second = new EdgeWindowProcessor(WINDOW, GRACE, PipelineObserver.NONE);
        second.init(context);
        second.process(record(PipelineDriver.event("web", "orders", "e:1", 200, T0.plusSeconds(6)).build()));
        commit(store);

        // Then
        var web = EdgeAccumulator.decode(store.get("%015d|web->orders".formatted(T0.toEpochMilli())));
        assertThat(web.requests()).as("3 committed + 1 after the restart").isEqualTo(4);
        var metrics = web.toMetrics("web", "orders", T0.toEpochMilli(), T0.plusSeconds(10).toEpochMilli());
        assertThat(metrics.getErrors5xx()).isEqualTo(3);
        assertThat(EdgeAccumulator.histogramOf(metrics).getTotalCount()).isEqualTo(4);
        var api = EdgeAccumulator.decode(store.get("%015d|api->orders".formatted(T0.toEpochMilli())));
        assertThat(api.requests()).as("restored, not rewritten").isEqualTo(1);
    }

    /** What Kafka Streams does when the task commits. */
    private static void commit(CommitFlushedStore store) {
        store.flushCache();
    }

    private static Record<String, RequestTelemetry> record(RequestTelemetry t) {
        return new Record<>(t.getDestinationService(), t, t.getEventTime().toEpochMilli());
    }
}
