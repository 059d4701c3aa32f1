package io.meshlog.pipeline.retrybudget;

import io.meshlog.pipeline.export.PipelineObserver;
import io.meshlog.pipeline.policy.TelemetryWithPolicies;
import io.meshlog.pipeline.state.CommitFlushedStoreBuilder;
import io.meshlog.schemas.serde.MeshSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Cluster-wide retry budgets: telemetry (with its service's RetryBudget policy) → processor
 * {@value #PROCESSOR} with store {@value #STORE} → mesh.decisions.v1.
 */
public final class RetryBudgetTopology {
    public static final String STORE = "retry-budgets";
    public static final String PROCESSOR = "retry-budget";

    private final String decisionsTopic;
    private final PipelineObserver observer;

    public RetryBudgetTopology(String decisionsTopic, PipelineObserver observer) {
        this.decisionsTopic = decisionsTopic;
        this.observer = observer;
    }

    public void addTo(StreamsBuilder builder, KStream<String, TelemetryWithPolicies> telemetry) {
        builder.addStateStore(new CommitFlushedStoreBuilder(STORE));
        telemetry.process(() -> new RetryBudgetProcessor(observer), Named.as(PROCESSOR), STORE)
                .to(decisionsTopic, Produced.with(Serdes.String(), MeshSerdes.decision())
                        .withName("retry-budget-decisions-sink"));
    }
}
