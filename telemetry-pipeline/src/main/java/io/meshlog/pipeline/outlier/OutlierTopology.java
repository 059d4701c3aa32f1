package io.meshlog.pipeline.outlier;

import io.meshlog.pipeline.export.PipelineObserver;
import io.meshlog.pipeline.policy.PolicyTable;
import io.meshlog.pipeline.policy.TelemetryWithPolicies;
import io.meshlog.pipeline.state.CommitFlushedStoreBuilder;
import io.meshlog.schemas.serde.MeshSerdes;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Cluster-wide outlier ejection: telemetry (with its service's DestinationRule) → processor
 * {@code outlier-ejection} with store {@value #STORE} (and the mesh-wide rules' store, see
 * {@link PolicyTable#broadcastMeshWide}) → mesh.decisions.v1.
 */
public final class OutlierTopology {
    public static final String STORE = "outlier-endpoints";
    public static final String PROCESSOR = "outlier-ejection";

    private final String decisionsTopic;
    private final Duration punctuateEvery;
    private final PipelineObserver observer;

    /**
     * @param decisionsTopic where Ejection decisions go
     * @param punctuateEvery how often (wall clock) ended ejections are looked for
     * @param observer told of every ejection and return, for metrics
     */
    public OutlierTopology(String decisionsTopic, Duration punctuateEvery, PipelineObserver observer) {
        this.decisionsTopic = decisionsTopic;
        this.punctuateEvery = punctuateEvery;
        this.observer = observer;
    }

    public void addTo(StreamsBuilder builder, KStream<String, TelemetryWithPolicies> telemetry) {
        builder.addStateStore(new CommitFlushedStoreBuilder(STORE));
        telemetry.process(() -> new OutlierProcessor(punctuateEvery, observer), Named.as(PROCESSOR), STORE,
                        PolicyTable.MESH_WIDE_STORE)
                .to(decisionsTopic, Produced.with(Serdes.String(), MeshSerdes.decision())
                        .withName("outlier-decisions-sink"));
    }
}
