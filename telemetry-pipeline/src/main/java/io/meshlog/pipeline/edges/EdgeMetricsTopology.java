package io.meshlog.pipeline.edges;

import io.meshlog.pipeline.export.PipelineObserver;
import io.meshlog.pipeline.state.CommitFlushedStoreBuilder;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.serde.MeshSerdes;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Edge metrics: telemetry → processor {@value #PROCESSOR} with store {@value #STORE} (tumbling
 * event-time windows, written at commit) → mesh.metrics.edges.v1.
 */
public final class EdgeMetricsTopology {
    public static final String STORE = "edge-windows";
    public static final String PROCESSOR = "edge-metrics";
    /** The window size of the issue: 10 s. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    /** How long after its end a window still accepts late telemetry. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private final String edgesTopic;
    private final Duration window;
    private final Duration grace;
    private final PipelineObserver observer;

    public EdgeMetricsTopology(String edgesTopic, Duration window, Duration grace, PipelineObserver observer) {
        this.edgesTopic = edgesTopic;
        this.window = window;
        this.grace = grace;
        this.observer = observer;
    }

    public void addTo(StreamsBuilder builder, KStream<String, RequestTelemetry> telemetry) {
        builder.addStateStore(new CommitFlushedStoreBuilder(STORE));
        telemetry.process(() -> new EdgeWindowProcessor(window, grace, observer), Named.as(PROCESSOR), STORE)
                .to(edgesTopic, Produced.with(Serdes.String(), MeshSerdes.edgeMetrics()).withName("edge-metrics-sink"));
    }
}
