package io.meshlog.proxy.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

import io.meshlog.kafka.embedded.EmbeddedBrokerConfig;
import io.meshlog.kafka.embedded.EmbeddedKafkaBroker;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaTelemetrySinkIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void everyEventArrivesKeyedByItsDestinationService(SharedKafka kafka) {
        var topic = new TopicCatalogue(kafka.uniquePrefix()).telemetry();
        new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(List.of(topic));
        var sent = List.of(TelemetryEvents.to("orders", 1), TelemetryEvents.to("payments", 2),
                TelemetryEvents.to("orders", 3));

        try (var sink = new KafkaTelemetrySink(
                KafkaTelemetryConfig.defaults(kafka.bootstrapServers(), topic.name()), registry)) {
            sent.forEach(sink::record);
            await().atMost(TIMEOUT).until(() -> sink.sent() == 3);
        }

        var received = consumeAll(kafka, topic.name(), 3);
        assertThat(received).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("orders", "payments", "orders");
        assertThat(received).allSatisfy(r ->
                assertThat(r.key()).isEqualTo(r.value().getDestinationService()));
        assertThat(received).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(registry.get(TelemetrySinkMetrics.SENT).counter().count()).isEqualTo(3);
        assertThat(totalDropped()).isZero();
    }

    @Test
    void theProducerPublishesNoMetricsOverJmx(SharedKafka kafka) throws Exception {
        var topic = new TopicCatalogue(kafka.uniquePrefix()).telemetry();
        new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(List.of(topic));
        var jmx = ManagementFactory.getPlatformMBeanServer();
        var producerMetrics = new ObjectName("kafka.producer:type=producer-metrics,client-id=meshlog-telemetry-jmx");
        var config = KafkaTelemetryConfig.defaults(kafka.bootstrapServers(), topic.name());
        var kafkaSettings = new HashMap<String, Object>(config.kafka());
        kafkaSettings.put("client.id", "meshlog-telemetry-jmx");
        config = new KafkaTelemetryConfig(kafkaSettings, config.topic(), config.queueCapacity(), config.linger(),
                config.compression(), config.bufferMemoryBytes(), config.maxBlock(), config.deliveryTimeout(),
                config.closeTimeout(), config.clock());

        try (var sink = new KafkaTelemetrySink(config, registry)) {
            sink.record(TelemetryEvents.to("orders", 1));
            await().atMost(TIMEOUT).until(() -> sink.sent() == 1);

            assertThat(jmx.isRegistered(producerMetrics)).as("Kafka's JMX reporter in a sidecar").isFalse();
        }
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfWaiting() throws IOException {
        // Nothing listens on this port: the sender thread waits for metadata, the queue fills up.
        var config = KafkaTelemetryConfig.defaults("127.0.0.1:" + closedPort(), "mesh.telemetry")
                .withQueueCapacity(10)
                .withBounds(KafkaTelemetryConfig.DEFAULT_BUFFER_MEMORY_BYTES, Duration.ofSeconds(30),
                        Duration.ofSeconds(30));

        try (var sink = new KafkaTelemetrySink(config, registry)) {
            for (int i = 0; i < 100; i++) {
                sink.record(TelemetryEvents.to("orders", i));
            }

            // Ten wait in the queue (the sender waits for the topic's metadata): 90 were dropped.
            assertThat(sink.dropped()).isEqualTo(90);
            assertThat(totalDropped()).isEqualTo(sink.dropped());
        }
        assertThat(totalDropped()).as("closing drops what could not be sent").isEqualTo(100);
    }

    @Test
    void aStoppedBrokerNeverBlocksOrFailsRecordAndEveryLostEventIsCounted(@TempDir Path dir) {
        var broker = new EmbeddedKafkaBroker(EmbeddedBrokerConfig.ephemeral(dir.resolve("kafka")));
        broker.start();
        String topic;
        try (var admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            var spec = new TopicCatalogue("").telemetry();
            new TopicCreator(admin, (short) 1, TIMEOUT).ensure(List.of(spec));
            topic = spec.name();
        }
        var config = KafkaTelemetryConfig.defaults(broker.bootstrapServers(), topic)
                .withQueueCapacity(100)
                .withBounds(256 * 1024, Duration.ofMillis(50), Duration.ofSeconds(3));
        int recorded = 0;
        try (var sink = new KafkaTelemetrySink(config, registry)) {
            for (; recorded < 10; recorded++) {
                sink.record(TelemetryEvents.to("orders", recorded));
            }
            await().atMost(TIMEOUT).until(() -> sink.sent() == 10);

            broker.close();
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 500; i++, recorded++) {
                    var event = TelemetryEvents.to("orders", recorded);
                    assertThatNoException().isThrownBy(() -> sink.record(event));
                }
                Thread.yield();
            }

            int total = recorded;
            await().atMost(TIMEOUT).untilAsserted(() ->
                    assertThat(sink.sent() + sink.dropped()).as("every event sent or counted")
                            .isEqualTo(total));
            assertThat(sink.sent()).isEqualTo(10);
            assertThat(registry.get(TelemetrySinkMetrics.DROPPED)
                    .tag(TelemetrySinkMetrics.REASON, "producer").counter().count())
                    .as("events the producer gave up on").isPositive();
        } finally {
            broker.close();
        }
        assertThat(totalDropped()).isEqualTo(recorded - 10);
    }

    private double totalDropped() {
        return registry.find(TelemetrySinkMetrics.DROPPED).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private static int closedPort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static List<ConsumerRecord<String, RequestTelemetry>> consumeAll(
            SharedKafka kafka, String topic, int expected) {
        var records = new ArrayList<ConsumerRecord<String, RequestTelemetry>>();
        try (var consumer = new KafkaConsumer<>(kafka.consumerConfig("telemetry-" + topic),
                new StringDeserializer(), MeshSerdes.requestTelemetry())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

}
