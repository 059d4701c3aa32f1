package io.meshlog.proxy.policy;

import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import io.meshlog.schemas.v1.RetryBudgetSpec;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import io.meshlog.testsupport.SharedKafka;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Policy events as the policy service would publish them, and a way to publish them. */
final class PolicyEvents {
    private PolicyEvents() {}

    static PolicyEvent destinationRule(String name, long generation) {
        return event(PolicyKind.DestinationRule, name, generation,
                DestinationRuleSpec.newBuilder().setHost(name).build());
    }

    static PolicyEvent virtualService(String name, long generation) {
        return event(PolicyKind.VirtualService, name, generation,
                VirtualServiceSpec.newBuilder().setHosts(List.of(name)).setHttp(List.of()).build());
    }

    static PolicyEvent retryBudget(String name, long generation) {
        return event(PolicyKind.RetryBudget, name, generation,
                RetryBudgetSpec.newBuilder().setHost(name).build());
    }

    static PolicyEvent event(PolicyKind kind, String name, long generation, Object spec) {
        return PolicyEvent.newBuilder().setKind(kind).setNamespace("shop").setName(name)
                .setGeneration(generation).setAuthor("test")
                .setTime(Instant.ofEpochMilli(1_700_000_000_000L)).setSpec(spec).build();
    }

    /** Publishes records in order: a PolicyEvent, null (tombstone) or raw bytes. */
    static void publish(SharedKafka kafka, String topic, List<Keyed> records) {
        var serde = MeshSerdes.policyEvent();
        try (var producer = new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(),
                new ByteArraySerializer())) {
            var sent = new ArrayList<Future<RecordMetadata>>();
            for (var record : records) {
                byte[] value = record.value() instanceof PolicyEvent event
                        ? serde.serialize(topic, event) : (byte[]) record.value();
                sent.add(producer.send(new ProducerRecord<>(topic, record.key(), value)));
            }
            for (var future : sent) {
                future.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new AssertionError("cannot publish to " + topic, e);
        }
    }

    static Keyed put(PolicyEvent event) {
        return new Keyed(PolicyState.keyOf(event), event);
    }

    static Keyed put(String key, PolicyEvent event) {
        return new Keyed(key, event);
    }

    static Keyed tombstone(String key) {
        return new Keyed(key, null);
    }

    static Keyed raw(String key, byte[] bytes) {
        return new Keyed(key, bytes);
    }

    record Keyed(String key, Object value) {}
}
