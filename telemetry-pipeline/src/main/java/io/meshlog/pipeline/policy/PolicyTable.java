package io.meshlog.pipeline.policy;

import io.meshlog.policy.model.MeshScope;
import io.meshlog.schemas.serde.AvroSerde;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.RequestTelemetry;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Builds the policies-by-service table from mesh.policy.v1 and joins every telemetry event with
 * its destination service's policies; and the table of mesh-wide DestinationRules, present in
 * every partition.
 *
 * <p>mesh.policy.v1 is keyed by {@code kind/namespace/name}; the table is re-keyed by service
 * through the repartition topic {@code <app>-policies-by-service-repartition}, which Kafka
 * Streams co-partitions with the telemetry topic because of the join. Tombstones remove a
 * policy: the grouped table's subtractor takes it out of its service's set.
 *
 * <p>A mesh-wide rule (root namespace, host {@code *.local}) belongs to no one service, so it
 * cannot join by key: every policy change is written, with the rule or a tombstone when the policy
 * is not mesh-wide (any more), to every partition of {@code <app>-policy-mesh-wide-repartition}
 * (a broadcasting partitioner), and read into the store {@value #MESH_WIDE_STORE} in the same
 * tasks as the telemetry, which processors there read.
 */
public final class PolicyTable {
    public static final String LATEST_STORE = "policy-latest";
    public static final String BY_SERVICE_STORE = "policies-by-service-store";
    public static final String MESH_WIDE_STORE = "policy-mesh-wide-store";

    private final AvroSerde<PolicyEvent> policySerde = MeshSerdes.policyEvent();
    private final KTable<String, PolicyEvent> latest;

    private KTable<String, ServicePolicies> byService;

    private PolicyTable(KTable<String, PolicyEvent> latest) {
        this.latest = latest;
    }

    /** The latest policy of every key on {@code policyTopic}. */
    public static PolicyTable build(StreamsBuilder builder, String policyTopic) {
        AvroSerde<PolicyEvent> serde = MeshSerdes.policyEvent();
        return new PolicyTable(builder.table(policyTopic,
                Consumed.with(Serdes.String(), serde).withName("policy-source"),
                Materialized.<String, PolicyEvent, KeyValueStore<Bytes, byte[]>>as(LATEST_STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(serde)));
    }

    /** The join of {@code telemetry} with the policies of its destination service. */
    public KStream<String, TelemetryWithPolicies> enrich(KStream<String, RequestTelemetry> telemetry,
            AvroSerde<RequestTelemetry> telemetrySerde) {
        return telemetry.leftJoin(byService(), TelemetryWithPolicies::new,
                Joined.with(Serdes.String(), telemetrySerde, new ServicePoliciesSerde(), "telemetry-with-policies"));
    }

    /** The policies keyed by destination service (built once; the join and the canary controller share it). */
    public KTable<String, ServicePolicies> byService() {
        if (byService != null) {
            return byService;
        }
        var policiesSerde = new ServicePoliciesSerde();
        byService = latest
                .filter((key, event) -> ServicePolicies.serviceOf(event).isPresent(),
                        Named.as("policy-relevant-kinds"))
                .groupBy((key, event) -> KeyValue.pair(ServicePolicies.serviceOf(event).orElseThrow(), event),
                        Grouped.with("policies-by-service", Serdes.String(), policySerde))
                .aggregate(ServicePolicies::empty,
                        (service, event, policies) -> policies.with(event),
                        (service, event, policies) -> policies.without(ServicePolicies.keyOf(event)),
                        Named.as("policies-by-service-aggregate"),
                        Materialized.<String, ServicePolicies, KeyValueStore<Bytes, byte[]>>as(BY_SERVICE_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(policiesSerde));
        return byService;
    }

    /**
     * Materialises the mesh-wide DestinationRules in {@value #MESH_WIDE_STORE}, in each of
     * {@code partitions} partitions (those of the telemetry topic, so every telemetry task has them).
     */
    public void broadcastMeshWide(String rootNamespace, int partitions) {
        latest.toStream(Named.as("policy-changes"))
                .mapValues(event -> event != null && isMeshWide(event, rootNamespace) ? event : null,
                        Named.as("policy-mesh-wide-only"))
                .repartition(Repartitioned.<String, PolicyEvent>as("policy-mesh-wide")
                        .withKeySerde(Serdes.String()).withValueSerde(policySerde)
                        .withNumberOfPartitions(partitions).withStreamPartitioner(new Broadcast()))
                .toTable(Named.as("policy-mesh-wide-table"),
                        Materialized.<String, PolicyEvent, KeyValueStore<Bytes, byte[]>>as(MESH_WIDE_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(policySerde));
    }

    /** Whether {@code event} is a DestinationRule of the root namespace whose host covers the mesh. */
    public static boolean isMeshWide(PolicyEvent event, String rootNamespace) {
        return event.getSpec() instanceof DestinationRuleSpec rule && event.getNamespace().equals(rootNamespace)
                && MeshScope.isMeshWideHost(rule.getHost());
    }

    /** Every record to every partition (KIP-837 multicast). */
    private static final class Broadcast implements StreamPartitioner<String, PolicyEvent> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, PolicyEvent value,
                org.apache.kafka.common.header.Headers headers, int numPartitions) {
            return all(numPartitions);
        }

        /** Still abstract in Kafka 4.4, though deprecated for the variant with headers above. */
        @Override
        @SuppressWarnings("removal")
        public Optional<Set<Integer>> partitions(String topic, String key, PolicyEvent value, int numPartitions) {
            return all(numPartitions);
        }

        private static Optional<Set<Integer>> all(int numPartitions) {
            return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toSet()));
        }
    }
}
