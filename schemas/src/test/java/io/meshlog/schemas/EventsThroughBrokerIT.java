package io.meshlog.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.schemas.serde.AvroSerde;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.serde.SkippingPoller;
import io.meshlog.schemas.serde.UndecodableRecordException;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.schemas.topics.TopicSpec;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class EventsThroughBrokerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void topicCreatorCreatesEveryTopicWithItsCleanupPolicyAndIsIdempotent(SharedKafka kafka)
            throws Exception {
        var catalogue = new TopicCatalogue(kafka.uniquePrefix());
        var creator = new TopicCreator(kafka.admin(), (short) 1, TIMEOUT);

        assertThat(creator.ensure(catalogue.all())).hasSize(catalogue.all().size());
        assertThat(creator.ensure(catalogue.all())).as("second run creates nothing").isEmpty();

        for (TopicSpec spec : catalogue.all()) {
            assertThat(cleanupPolicy(kafka.admin(), spec.name())).as(spec.name())
                    .isEqualTo(spec.cleanupPolicy().configValue());
            var partitions = kafka.admin().describeTopics(List.of(spec.name())).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(spec.name()).partitions().size();
            assertThat(partitions).as(spec.name()).isEqualTo(spec.partitions());
        }
    }

    @Test
    void everyEventTypeTravelsThroughTheBroker(SharedKafka kafka) {
        var catalogue = new TopicCatalogue(kafka.uniquePrefix());
        new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(catalogue.all());

        for (SpecificRecord event : SampleEvents.all()) {
            var spec = catalogue.all().stream()
                    .filter(s -> s.valueType() == event.getClass()).findFirst().orElseThrow();
            var received = sendAndReceiveOne(kafka, spec.name(), serdeFor(event), event);
            assertThat(received).as(event.getSchema().getName() + " on " + spec.name()).isEqualTo(event);
        }
    }

    @Test
    void undecodableRecordsAreSkippedCountedAndDescribed(SharedKafka kafka) {
        var topic = new TopicCatalogue(kafka.uniquePrefix()).telemetry().name();
        new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(List.of(
                new TopicSpec(topic, 1, io.meshlog.schemas.topics.CleanupPolicy.DELETE, null,
                        RequestTelemetry.class)));
        var serde = MeshSerdes.requestTelemetry();
        var good = SampleEvents.requestTelemetry();
        var unknown = new byte[] {(byte) 0xC3, 0x01, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x08, 2};
        try (var producer = new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "orders", serde.serialize(topic, good)));
            producer.send(new ProducerRecord<>(topic, "orders", "garbage".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(topic, "orders", unknown));
            producer.send(new ProducerRecord<>(topic, "orders", serde.serialize(topic, good)));
            producer.flush();
        }

        var skipped = new ArrayList<UndecodableRecordException>();
        var read = new ArrayList<RequestTelemetry>();
        try (var consumer = new KafkaConsumer<>(kafka.consumerConfig("skip-test"),
                new StringDeserializer(), serde)) {
            consumer.subscribe(List.of(topic));
            var poller = new SkippingPoller<>(consumer, skipped::add);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (read.size() < 2 && System.nanoTime() < deadline) {
                poller.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
            }
        }

        assertThat(read).containsExactly(good, good);
        assertThat(skipped).hasSize(2);
        assertThat(skipped.get(0)).hasMessageContaining("topic " + topic)
                .hasMessageContaining("partition 0").hasMessageContaining("offset 1")
                .hasMessageContaining("schema fingerprint none");
        assertThat(skipped.get(1)).hasMessageContaining("offset 2")
                .hasMessageContaining("schema fingerprint 0877665544332211");
    }

    @Test
    void recordWrittenWithAnOlderSchemaIsReadThroughTheBroker(SharedKafka kafka) throws Exception {
        var topic = new TopicCatalogue(kafka.uniquePrefix()).telemetry();
        new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(List.of(topic));
        var oldBytes = io.meshlog.schemas.serde.OldSchemaRecordsAccess.telemetryV0Bytes();
        try (var producer = new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic.name(), "orders", oldBytes)).get(30, TimeUnit.SECONDS);
        }
        try (var consumer = new KafkaConsumer<>(kafka.consumerConfig("old-schema"),
                new StringDeserializer(), MeshSerdes.requestTelemetry())) {
            consumer.subscribe(List.of(topic.name()));
            RequestTelemetry value = null;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (value == null && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    value = r.value();
                }
            }
            assertThat(value).isNotNull();
            assertThat(value.getTraceId()).isEqualTo(SampleEvents.requestTelemetry().getTraceId());
            assertThat(value.getTlsHandshakeMicros()).isZero();
        }
    }

    private static <T extends SpecificRecord> T sendAndReceiveOne(
            SharedKafka kafka, String topic, AvroSerde<T> serde, SpecificRecord event) {
        @SuppressWarnings("unchecked")
        T typed = (T) event;
        var key = event.getSchema().getName() + "-" + System.nanoTime();
        try (var producer = new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(), serde)) {
            producer.send(new ProducerRecord<>(topic, key, typed)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("send to " + topic + " failed", e);
        }
        try (var consumer = new KafkaConsumer<>(kafka.consumerConfig("rt-" + key),
                new StringDeserializer(), serde)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key().equals(key)) {
                        return record.value();
                    }
                }
            }
        }
        throw new AssertionError("nothing received on " + topic);
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> AvroSerde<T> serdeFor(SpecificRecord event) {
        return AvroSerde.of((Class<T>) event.getClass());
    }

    private static String cleanupPolicy(Admin admin, String topic) throws Exception {
        var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS)
                .get(resource).get("cleanup.policy").value();
    }

}
