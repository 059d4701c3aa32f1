package io.meshlog.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlog.pipeline.config.PipelineConfig;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.v1.AlertSeverity;
import io.meshlog.schemas.v1.AlertState;
import io.meshlog.schemas.v1.BurnRateAlert;
import io.meshlog.schemas.v1.BurnRateRule;
import io.meshlog.schemas.v1.DeadLetter;
import io.meshlog.schemas.v1.Decision;
import io.meshlog.schemas.v1.Ejection;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two pipeline instances with one application id on the shared real broker: with the mesh-wide
 * DestinationRule of the root namespace turning outlier detection on, a 100 % failing endpoint is
 * ejected cluster-wide within seconds; the instance owning an SLO's partition is
 * killed between the alert firing and resolving, and the alerts topic still holds exactly one
 * FIRING and one RESOLVED; garbage lands on the dead-letter topic.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PipelineScaleOutIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void twoInstancesEjectQuicklyAndFailOverWithoutLosingOrDuplicatingAlerts(SharedKafka kafka) throws Exception {
        var prefix = kafka.uniquePrefix();
        var first = config(kafka, prefix);
        PipelineMain.ensureTopics(first, (short) 1);
        var topics = first.topics();
        var outputs = new Outputs(kafka, List.of(topics.decisions().name(), topics.alerts().name(),
                topics.deadLetters().name()));
        var a = new PipelineService(first).start();
        var b = new PipelineService(config(kafka, prefix)).start();
        try (outputs; var producer = new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(),
                new ByteArraySerializer())) {
            outputs.start();
            await().atMost(TIMEOUT).until(() -> a.isRunning() && b.isRunning()
                    && !a.activePartitions().isEmpty() && !b.activePartitions().isEmpty());
            // The SLO's service is on another partition than "orders", and everything about it
            // (policy record time included) lives two hours back in event time.
            var telemetryTopic = topics.telemetry().name();
            int partitions = topics.telemetry().partitions();
            var cart = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "cart" + i)
                    .filter(s -> partitionOf(s, partitions) != partitionOf("orders", partitions)).findFirst().orElseThrow();
            var base = Instant.now().minus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
            var slo = Policies.slo("cart-slo", cart, 99.0, List.of(BurnRateRule.newBuilder()
                    .setSeverity(AlertSeverity.PAGE).setLongWindow(600_000).setShortWindow(120_000)
                    .setFactor(2).build()), base);
            producer.send(new ProducerRecord<>(topics.policy().name(), null, base.toEpochMilli(),
                    "ServiceLevelObjective/default/cart-slo", MeshSerdes.policyEvent().serialize("p", slo)));

            // Outlier detection is off without a rule (Istio's default): the mesh-wide rule of the root
            // namespace turns it on. It reaches the task owning "orders" through the broadcast topic,
            // whichever instance and partition that is.
            var meshWide = Policies.meshWideDestinationRule(io.meshlog.schemas.v1.OutlierDetection.newBuilder().build(), base);
            producer.send(new ProducerRecord<>(topics.policy().name(), null, base.toEpochMilli(),
                    "DestinationRule/meshlog-system/mesh-default", MeshSerdes.policyEvent().serialize("p", meshWide)));

            // Ejection: five callers, three endpoints, 10.0.0.3 fails every request. Rounds go on until
            // the decision comes: the processors read the mesh-wide rule once a second.
            var firstFailure = System.nanoTime();
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
                for (var caller : List.of("a", "b", "c", "d", "e")) {
                    for (int e = 1; e <= 3; e++) {
                        var event = PipelineDriver.event(caller, "orders", "10.0.0." + e + ":8080", e == 3 ? 503 : 200,
                                Instant.now()).build();
                        send(producer, telemetryTopic, "orders", MeshSerdes.requestTelemetry(), event);
                    }
                }
                producer.flush();
                return outputs.ejections().stream().anyMatch(j -> j.getEjected() && j.getEndpoint().equals("10.0.0.3:8080"));
            });
            long delayMillis = (System.nanoTime() - firstFailure) / 1_000_000;
            System.out.println("ejection decision seen " + delayMillis + " ms after the first failure was produced");
            assertThat(outputs.ejections()).extracting(Ejection::getEndpoint).containsOnly("10.0.0.3:8080");
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(scrape(a) + scrape(b))
                    .contains("meshlog_pipeline_ejections_active{service=\"orders\"} 1.0"));

            // Alerts across a failover, in event time: 10 requests a minute, minutes 10..14 half bad.
            sendCartMinutes(producer, telemetryTopic, cart, base, 0, 15);
            await().atMost(TIMEOUT).until(() -> outputs.alerts().size() == 1);
            var cartPartition = new TopicPartition(telemetryTopic, partitionOf(cart, partitions));
            var owner = a.activePartitions().contains(cartPartition) ? a : b;
            var survivor = owner == a ? b : a;
            // The owner goes away without leaving the group (as a crashed one would); once the
            // session times out the survivor restores the SLO's buckets and alert state from the
            // changelogs and must resolve the alert exactly once, without firing it again.
            owner.close(Duration.ofSeconds(10));
            await().atMost(TIMEOUT).until(() -> survivor.isRunning()
                    && survivor.activePartitions().contains(cartPartition));
            sendCartMinutes(producer, telemetryTopic, cart, base, 15, 40);
            await().atMost(TIMEOUT).until(() -> outputs.alerts().size() >= 2);

            // Garbage on the real broker goes to the dead-letter topic.
            producer.send(new ProducerRecord<>(telemetryTopic, "orders", "garbage".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
            await().atMost(TIMEOUT).until(() -> !outputs.deadLetters().isEmpty());
            Thread.sleep(2000);

            assertThat(outputs.alerts()).extracting(BurnRateAlert::getState)
                    .containsExactly(AlertState.FIRING, AlertState.RESOLVED);
            assertThat(outputs.deadLetters()).singleElement().satisfies(letter -> {
                assertThat(letter.getSourceTopic()).isEqualTo(telemetryTopic);
                assertThat(letter.getReason()).contains("not an Avro single-object record");
            });
        } finally {
            a.close(Duration.ofSeconds(10));
            b.close(Duration.ofSeconds(10));
        }
    }

    private static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static void sendCartMinutes(KafkaProducer<String, byte[]> producer, String topic, String cart,
            Instant base, int fromMinute, int toMinute) {
        for (int minute = fromMinute; minute < toMinute; minute++) {
            for (int i = 0; i < 10; i++) {
                boolean bad = minute >= 10 && minute < 15 && i % 2 == 0;
                var event = PipelineDriver.event("web", cart, "10.0.9.1:80", bad ? 500 : 200,
                        base.plus(Duration.ofMinutes(minute)).plusSeconds(6L * i)).build();
                send(producer, topic, cart, MeshSerdes.requestTelemetry(), event);
            }
        }
        producer.flush();
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> void send(KafkaProducer<String, byte[]> producer,
            String topic, String key, io.meshlog.schemas.serde.AvroSerde<T> serde, T value) {
        producer.send(new ProducerRecord<>(topic, key, serde.serialize(topic, value)));
    }

    private static String scrape(PipelineService service) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + service.metricsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static PipelineConfig config(SharedKafka kafka, String prefix) throws java.io.IOException {
        var values = new HashMap<String, String>();
        values.put("bootstrap.servers", kafka.bootstrapServers());
        values.put("application.id", "pipeline-" + prefix.replace(".", ""));
        values.put("state.dir", Files.createTempDirectory("pipeline-it").toString());
        values.put("topic.prefix", prefix);
        values.put("metrics.host", "127.0.0.1");
        values.put("metrics.port", "0");
        values.put("kafka.streams.commit.interval.ms", "100");
        values.put("kafka.streams.statestore.cache.max.bytes", "0");
        values.put("kafka.streams.consumer.session.timeout.ms", "6000");
        values.put("kafka.streams.consumer.heartbeat.interval.ms", "1000");
        return PipelineConfig.fromMap(values);
    }

    /** Reads the output topics (read_committed) on a background thread. */
    private static final class Outputs implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<String> topics;
        private final List<Decision> decisions = new CopyOnWriteArrayList<>();
        private final List<BurnRateAlert> alerts = new CopyOnWriteArrayList<>();
        private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Outputs(SharedKafka kafka, List<String> topics) {
            Map<String, Object> config = kafka.consumerConfig("it-outputs-" + System.nanoTime());
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
            this.topics = topics;
            this.thread = new Thread(this::run, "it-outputs");
        }

        void start() {
            thread.start();
        }

        private void run() {
            var partitions = new ArrayList<TopicPartition>();
            for (var topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running.get()) {
                for (var record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.topic().equals(topics.get(0))) {
                        decisions.add(MeshSerdes.decision().deserialize(record.topic(), record.value()));
                    } else if (record.topic().equals(topics.get(1))) {
                        alerts.add(MeshSerdes.burnRateAlert().deserialize(record.topic(), record.value()));
                    } else {
                        deadLetters.add(MeshSerdes.deadLetter().deserialize(record.topic(), record.value()));
                    }
                }
            }
            consumer.close();
        }

        List<Ejection> ejections() {
            return decisions.stream().filter(d -> d.getPayload() instanceof Ejection)
                    .map(d -> (Ejection) d.getPayload()).toList();
        }

        List<BurnRateAlert> alerts() {
            return alerts;
        }

        List<DeadLetter> deadLetters() {
            return deadLetters;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5000);
        }
    }
}
