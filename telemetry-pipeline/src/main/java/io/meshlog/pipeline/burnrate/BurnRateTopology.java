package io.meshlog.pipeline.burnrate;

import io.meshlog.pipeline.export.PipelineObserver;
import io.meshlog.pipeline.policy.TelemetryWithPolicies;
import io.meshlog.pipeline.state.CommitFlushedStoreBuilder;
import io.meshlog.schemas.serde.MeshSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * SLO burn-rate alerts: telemetry (with its service's ServiceLevelObjectives) → processor
 * {@value #PROCESSOR} with stores {@value #BUCKETS_STORE} and {@value #ALERTS_STORE} →
 * mesh.alerts.v1.
 */
public final class BurnRateTopology {
    public static final String BUCKETS_STORE = "burnrate-buckets";
    public static final String ALERTS_STORE = "burnrate-alert-states";
    public static final String PROCESSOR = "burnrate-alerts";

    private final String alertsTopic;
    private final PipelineObserver observer;

    public BurnRateTopology(String alertsTopic, PipelineObserver observer) {
        this.alertsTopic = alertsTopic;
        this.observer = observer;
    }

    public void addTo(StreamsBuilder builder, KStream<String, TelemetryWithPolicies> telemetry) {
        builder.addStateStore(new CommitFlushedStoreBuilder(BUCKETS_STORE));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ALERTS_STORE),
                Serdes.String(), Serdes.String()).withCachingEnabled());
        telemetry.process(() -> new BurnRateProcessor(observer), Named.as(PROCESSOR), BUCKETS_STORE, ALERTS_STORE)
                .to(alertsTopic, Produced.with(Serdes.String(), MeshSerdes.burnRateAlert())
                        .withName("burnrate-alerts-sink"));
    }
}
