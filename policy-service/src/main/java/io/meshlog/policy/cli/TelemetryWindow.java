package io.meshlog.policy.cli;

import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.v1.RequestTelemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the telemetry topic from {@code now - window} (record time, then each event's own time) up to the end it had when the read began
 * (bounded: it never follows), for {@code meshctl mode --dry-run} and {@code meshctl rollout status}.
 * Unreadable records are counted, not fatal.
 */
final class TelemetryWindow {
    private final String bootstrap;
    private final TopicCatalogue topics;

    TelemetryWindow(String bootstrap, String prefix) {
        this.bootstrap = bootstrap;
        this.topics = new TopicCatalogue(prefix);
    }

    /** Feeds every event of the last {@code window} to {@code sink}; returns how many records were unreadable. */
    long read(Duration window, Consumer<RequestTelemetry> sink) {
        var topic = topics.telemetry().name();
        var props = new HashMap<String, Object>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long unreadable = 0;
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new CliException("error: topic " + topic + " does not exist");
            }
            consumer.assign(partitions);
            var ends = consumer.endOffsets(partitions);
            long since = Instant.now().minus(window).toEpochMilli();
            var query = new HashMap<TopicPartition, Long>();
            partitions.forEach(p -> query.put(p, since));
            var starts = consumer.offsetsForTimes(query);
            var remaining = new HashMap<TopicPartition, Long>();
            for (var partition : partitions) {
                var start = starts.get(partition);
                long from = start != null ? start.offset() : ends.get(partition);
                consumer.seek(partition, from);
                if (from < ends.get(partition)) {
                    remaining.put(partition, ends.get(partition));
                }
            }
            while (!remaining.isEmpty()) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    var partition = new TopicPartition(record.topic(), record.partition());
                    var end = remaining.get(partition);
                    if (end == null || record.offset() >= end) {
                        continue;
                    }
                    if (record.value() != null) {
                        try {
                            var event = MeshSerdes.requestTelemetry().deserialize(topic, record.value());
                            // the record time may be the send time; the window is about when requests happened
                            if (!event.getEventTime().isBefore(Instant.ofEpochMilli(since))) {
                                sink.accept(event);
                            }
                        } catch (RuntimeException e) {
                            unreadable++;
                        }
                    }
                    if (record.offset() + 1 >= end) {
                        remaining.remove(partition);
                    }
                }
                remaining.keySet().removeIf(p -> consumer.position(p) >= remaining.get(p));
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new CliException("error: cannot reach Kafka: " + e.getMessage());
        }
        return unreadable;
    }

    /** Kafka's address: the option, else MESHCTL_KAFKA_BOOTSTRAP, else localhost:9092 (as {@code tail}). */
    static String bootstrap(String option, Map<String, String> env) {
        return option != null ? option : env.getOrDefault("MESHCTL_KAFKA_BOOTSTRAP", "localhost:9092");
    }
}
