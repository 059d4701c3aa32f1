package io.meshlog.pipeline.policy;

import io.meshlog.schemas.serde.AvroSerde;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.RequestTelemetry;
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
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Builds the policies-by-service table from mesh.policy.v1 and joins every telemetry event with
 * its destination service's policies.
 *
 * <p>mesh.policy.v1 is keyed by {@code kind/namespace/name}; the table is re-keyed by service
 * through the repartition topic {@code <app>-policies-by-service-repartition}, which Kafka
 * Streams co-partitions with the telemetry topic because of the join. Tombstones remove a
 * policy: the grouped table's subtractor takes it out of its service's set.
 */
public final class PolicyTable {
    public static final String LATEST_STORE = "policy-latest";
    public static final String BY_SERVICE_STORE = "policies-by-service-store";

    private PolicyTable() {}

    /** The join of {@code telemetry} with the policies table built from {@code policyTopic}. */
    public static KStream<String, TelemetryWithPolicies> enrich(
            StreamsBuilder builder, String policyTopic, KStream<String, RequestTelemetry> telemetry,
            AvroSerde<RequestTelemetry> telemetrySerde) {
        return join(telemetry, byService(builder, policyTopic), telemetrySerde);
    }

    /** The policies table built from {@code policyTopic}, keyed by destination service. */
    public static KTable<String, ServicePolicies> byService(StreamsBuilder builder, String policyTopic) {
        AvroSerde<PolicyEvent> policySerde = MeshSerdes.policyEvent();
        var policiesSerde = new ServicePoliciesSerde();
        KTable<String, PolicyEvent> latest = builder.table(policyTopic,
                Consumed.with(Serdes.String(), policySerde).withName("policy-source"),
                Materialized.<String, PolicyEvent, KeyValueStore<Bytes, byte[]>>as(LATEST_STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(policySerde));
        return latest
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
    }

    /** Each telemetry event with its destination service's policies in {@code byService}. */
    public static KStream<String, TelemetryWithPolicies> join(KStream<String, RequestTelemetry> telemetry,
            KTable<String, ServicePolicies> byService, AvroSerde<RequestTelemetry> telemetrySerde) {
        return telemetry.leftJoin(byService, TelemetryWithPolicies::new,
                Joined.with(Serdes.String(), telemetrySerde, new ServicePoliciesSerde(), "telemetry-with-policies"));
    }
}
