package io.meshlog.proxy.policy;

import static io.meshlog.proxy.policy.PolicyEvents.destinationRule;
import static io.meshlog.proxy.policy.PolicyEvents.virtualService;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.schemas.v1.ConfigAck;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class ConfigAckPublisherIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void publishesWhatTheProxyEnforcesKeyedByProxyId(SharedKafka kafka) {
        var topic = new TopicCatalogue(kafka.uniquePrefix()).configAcks();
        new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(List.of(topic));
        var config = new ConfigAckConfig(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                topic.name(), "proxy-orders-1", "orders-v1", "shop", null, Duration.ZERO,
                Clock.fixed(NOW, ZoneOffset.UTC));
        var state = new PolicyState(Map.of(
                "DestinationRule/shop/orders", destinationRule("orders", 4),
                "VirtualService/shop/orders", virtualService("orders", 2)), 7,
                List.of(new PolicyRejection("DestinationRule/shop/cart", 0,
                        "generation must be at least 1, but was 0")));

        try (var publisher = new ConfigAckPublisher(config)) {
            assertThat(publisher.publish(state)).succeedsWithin(TIMEOUT).isEqualTo(true);
        }

        var records = consume(kafka, topic.name(), 2);
        assertThat(records).as("the ack, then the tombstone of a clean shutdown").hasSize(2);
        assertThat(records.get(1).key()).isEqualTo("proxy-orders-1");
        assertThat(records.get(1).value()).as("leaving: a tombstone").isNull();
        var record = records.get(0);
        assertThat(record.key()).isEqualTo("proxy-orders-1");
        assertThat(record.timestamp()).as("stamped by the publisher's clock").isEqualTo(NOW.toEpochMilli());
        var ack = record.value();
        assertThat(ack.getProxyId()).isEqualTo("proxy-orders-1");
        assertThat(ack.getWorkload()).isEqualTo("orders-v1");
        assertThat(ack.getNamespace()).isEqualTo("shop");
        assertThat(ack.getSnapshotVersion()).isEqualTo(7);
        assertThat(ack.getGenerations()).isEqualTo(Map.of(
                "DestinationRule/shop/orders", 4L, "VirtualService/shop/orders", 2L));
        assertThat(ack.getRejected()).singleElement().satisfies(rejected -> {
            assertThat(rejected.getPolicyKey()).isEqualTo("DestinationRule/shop/cart");
            assertThat(rejected.getReason()).isEqualTo("generation must be at least 1, but was 0");
        });
        assertThat(ack.getAppliedAt()).isEqualTo(NOW);
    }

    @Test
    void publishReturnsAtOnceEvenWhenNoBrokerAnswers() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var config = new ConfigAckConfig(Map.of("bootstrap.servers", "127.0.0.1:" + port,
                "max.block.ms", 2000), "acks", "proxy-1", "orders-v1", "shop",
                Duration.ofMillis(100), null, null);

        try (var publisher = new ConfigAckPublisher(config)) {
            var ack = publisher.publish(PolicyState.empty());

            assertThat(ack).as("the caller does not wait for the broker").isNotDone();
            assertThat(ack).failsWithin(TIMEOUT);
        }
    }

    @Test
    void sendsTheLastAckAgainEveryHeartbeatWhileNothingChanges(SharedKafka kafka) {
        var topic = new TopicCatalogue(kafka.uniquePrefix()).configAcks();
        new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(List.of(topic));
        var config = new ConfigAckConfig(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                topic.name(), "proxy-orders-2", "orders-v1", "shop", null, Duration.ofMillis(200), null);

        try (var publisher = new ConfigAckPublisher(config)) {
            assertThat(publisher.publish(PolicyState.empty())).succeedsWithin(TIMEOUT).isEqualTo(true);
            var records = consume(kafka, topic.name(), 3);

            assertThat(records).hasSize(3).allSatisfy(r -> {
                assertThat(r.key()).isEqualTo("proxy-orders-2");
                // the same ack, not a tombstone; only the process figures it carries are read anew
                assertThat(r.value()).as("the same ack, not a tombstone").usingRecursiveComparison()
                        .ignoringFields("cpuSeconds", "residentBytes").isEqualTo(records.get(0).value());
            });
        }
    }

    /** The first {@code count} records of {@code topic} (fewer if they do not come in time). */
    private static List<ConsumerRecord<String, ConfigAck>> consume(SharedKafka kafka, String topic, int count) {
        var records = new ArrayList<ConsumerRecord<String, ConfigAck>>();
        try (var consumer = new KafkaConsumer<>(kafka.consumerConfig("acks-" + topic),
                new StringDeserializer(), MeshSerdes.configAck())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records.subList(0, Math.min(count, records.size()));
    }
}
