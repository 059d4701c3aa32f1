package io.meshlog.pipeline.canary;

import io.meshlog.pipeline.export.PipelineObserver;
import io.meshlog.pipeline.policy.ServicePolicies;
import io.meshlog.pipeline.state.CommitFlushedStoreBuilder;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.v1.ConfigAck;
import io.meshlog.schemas.v1.RequestTelemetry;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The canary controller: the policies-by-service table's changes merged with the SOURCE
 * telemetry (both keyed by service; {@code PolicyTable}'s join co-partitions them) → processor
 * {@value #PROCESSOR} with store {@value #STORE} and the global ConfigAck store
 * {@value #ACKS_STORE} → route changes to mesh.policy.v1, statuses to mesh.canary.status.v1.
 *
 * <p>Why the controller writes the policy log itself rather than calling policy-service's API:
 * the route change then commits in the same exactly-once transaction as the controller's state
 * and the offsets it read, so a restart can neither repeat nor skip a step (an HTTP call from a
 * stream processor cannot take part in the transaction), and the pipeline needs no writer token
 * and no dependency on another service. The events are built by policy-model's {@code
 * PolicyEvents}, as policy-service builds them, so history, rollback, ConfigAck and {@code apply
 * --wait} see an ordinary author ({@code canary-controller}). The route's generations come from
 * the log the controller reads; the route is the controller's own (named after the Canary).
 */
public final class CanaryTopology {
    public static final String STORE = "canary-runs";
    public static final String ACKS_STORE = "canary-config-acks";
    public static final String PROCESSOR = "canary-controller";
    /** How often the controller looks at acknowledgements and intervals. */
    public static final Duration DEFAULT_TICK = Duration.ofMillis(100);

    private final String policyTopic;
    private final String statusTopic;
    private final String acksTopic;
    private final Duration tick;
    private final PipelineObserver observer;
    /** One HTTP client for every task's webhook calls (it owns a selector thread). */
    private final CanaryWebhooks webhooks = new HttpCanaryWebhooks();

    public CanaryTopology(String policyTopic, String statusTopic, String acksTopic, Duration tick,
            PipelineObserver observer) {
        this.policyTopic = policyTopic;
        this.statusTopic = statusTopic;
        this.acksTopic = acksTopic;
        this.tick = tick;
        this.observer = observer;
    }

    public void addTo(StreamsBuilder builder, KStream<String, RequestTelemetry> telemetry,
            KTable<String, ServicePolicies> policiesByService) {
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ACKS_STORE),
                        Serdes.String(), MeshSerdes.configAck()).withLoggingDisabled(),
                acksTopic, Consumed.with(Serdes.String(), MeshSerdes.configAck()).withName("canary-config-acks-source"),
                AckStoreWriter::new);
        builder.addStateStore(new CommitFlushedStoreBuilder(STORE));
        KStream<String, CanaryInput> policies = policiesByService
                .toStream(Named.as("canary-policies-changes"))
                .mapValues(p -> (CanaryInput) new CanaryInput.Policies(p), Named.as("canary-policies-input"));
        KStream<String, CanaryInput> requests = telemetry
                .mapValues(t -> (CanaryInput) new CanaryInput.Request(t), Named.as("canary-requests-input"));
        var decisions = policies.merge(requests, Named.as("canary-inputs"))
                .process(() -> new CanaryProcessor(tick, observer, webhooks), Named.as(PROCESSOR), STORE);
        decisions.filter((key, emit) -> emit instanceof CanaryEmit.Route, Named.as("canary-routes"))
                .mapValues(emit -> ((CanaryEmit.Route) emit).event(), Named.as("canary-route-events"))
                .to(policyTopic, Produced.with(Serdes.String(), MeshSerdes.policyEvent()).withName("canary-route-sink"));
        decisions.filter((key, emit) -> emit instanceof CanaryEmit.Status, Named.as("canary-statuses"))
                .mapValues(emit -> ((CanaryEmit.Status) emit).status(), Named.as("canary-status-values"))
                .to(statusTopic, Produced.with(Serdes.String(), MeshSerdes.canaryStatus()).withName("canary-status-sink"));
    }

    /** Keeps the last ConfigAck per proxy in the global store (a tombstone removes the proxy). */
    private static final class AckStoreWriter implements Processor<String, ConfigAck, Void, Void> {
        private KeyValueStore<String, ConfigAck> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(ACKS_STORE);
        }

        @Override
        public void process(Record<String, ConfigAck> record) {
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }
    }
}
