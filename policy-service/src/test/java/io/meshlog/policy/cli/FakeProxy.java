package io.meshlog.policy.cli;

import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.v1.ConfigAck;
import io.meshlog.testsupport.SharedKafka;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays a proxy the way the real one will: follows the policy topic and publishes a ConfigAck
 * with the generation of every policy it has applied (until a real proxy is wired in).
 */
final class FakeProxy implements AutoCloseable {
    private final String proxyId;
    private final TopicCatalogue topics;
    private final KafkaConsumer<String, io.meshlog.schemas.v1.PolicyEvent> consumer;
    private final KafkaProducer<String, ConfigAck> producer;
    private final Thread thread;
    private volatile boolean running = true;

    FakeProxy(SharedKafka kafka, TopicCatalogue topics, String proxyId) {
        this.proxyId = proxyId;
        this.topics = topics;
        this.consumer = new KafkaConsumer<>(kafka.consumerConfig("fake-" + UUID.randomUUID()), new StringDeserializer(),
                MeshSerdes.policyEvent().deserializer());
        this.producer = new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(), MeshSerdes.configAck().serializer());
        this.thread = new Thread(this::run, "fake-proxy-" + proxyId);
        thread.start();
    }

    /** Publishes one ack saying this proxy applied exactly {@code generations}, and nothing more. */
    static void ackOnce(SharedKafka kafka, TopicCatalogue topics, String proxyId, Map<String, Long> generations) {
        ackOnce(kafka, topics, proxyId, generations, Instant.now());
    }

    /** Publishes one ack as if sent at {@code sentAt} (the record's time: when the proxy was last heard of). */
    static void ackOnce(SharedKafka kafka, TopicCatalogue topics, String proxyId, Map<String, Long> generations,
            Instant sentAt) {
        try (var producer = new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(), MeshSerdes.configAck().serializer())) {
            producer.send(new ProducerRecord<>(topics.configAcks().name(), null, sentAt.toEpochMilli(), proxyId,
                    ack(proxyId, generations, 1)));
        }
    }

    /** Publishes the tombstone a proxy sends when it shuts down cleanly. */
    static void leave(SharedKafka kafka, TopicCatalogue topics, String proxyId) {
        try (var producer = new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(), MeshSerdes.configAck().serializer())) {
            producer.send(new ProducerRecord<>(topics.configAcks().name(), proxyId, null));
        }
    }

    private void run() {
        var topic = topics.policy().name();
        var partition = new TopicPartition(topic, 0);
        consumer.assign(java.util.List.of(partition));
        consumer.seekToBeginning(java.util.List.of(partition));
        var applied = new HashMap<String, Long>();
        long snapshot = 0;
        while (running) {
            var records = consumer.poll(Duration.ofMillis(100));
            if (records.isEmpty()) {
                continue;
            }
            for (var record : records) {
                if (record.value() == null) {
                    applied.remove(record.key());
                } else {
                    applied.put(record.key(), record.value().getGeneration());
                }
            }
            producer.send(new ProducerRecord<>(topics.configAcks().name(), proxyId, ack(proxyId, applied, ++snapshot)));
            producer.flush();
        }
    }

    private static ConfigAck ack(String proxyId, Map<String, Long> generations, long snapshot) {
        return ConfigAck.newBuilder().setProxyId(proxyId).setWorkload("reviews").setNamespace("default")
                .setSnapshotVersion(snapshot).setGenerations(new HashMap<>(generations))
                .setAppliedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).build();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
        consumer.close();
        producer.close();
    }
}
