package io.meshlog.pipeline.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract {@link CommitFlushedStore} relies on, checked against the real Kafka Streams and a
 * real broker (it is the one place that uses Kafka Streams' internal {@code CachedStateStore}
 * interface): at each commit, on the stream thread, the store's hook runs before the changelog and
 * the input offsets go out in one exactly-once transaction. So what the hook writes is restored by
 * a new instance, and input committed with it is never counted twice. If an upgrade stops calling
 * {@code flushCache} at commit, nothing reaches the changelog and this test fails.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CommitFlushedStoreContractIT {
    private static final String STORE = "counts";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final AtomicLong restored = new AtomicLong(-1);
    private final Set<String> hookThreads = ConcurrentHashMap.newKeySet();

    @Test
    void theHookRunsAtEachCommitAndItsWritesCommitWithTheInputOffsets(SharedKafka kafka) throws Exception {
        var prefix = kafka.uniquePrefix();
        var input = prefix + "in";
        var applicationId = prefix + "commit-flushed";
        kafka.admin().createTopics(List.of(new NewTopic(input, 1, (short) 1))).all().get();
        var changelog = applicationId + "-" + STORE + "-changelog";

        try (var producer = new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(), new StringSerializer())) {
            send(producer, input, 100);
            try (var first = start(kafka, applicationId, input)) {
                await().atMost(TIMEOUT).until(() -> committedCount(kafka, changelog) == 100);
            }
            assertThat(hookThreads).as("the hook runs on the stream thread")
                    .allSatisfy(name -> assertThat(name).contains("StreamThread"));

            // A fresh state directory: the second instance can only know the count from the changelog.
            send(producer, input, 50);
            try (var second = start(kafka, applicationId, input)) {
                await().atMost(TIMEOUT).until(() -> committedCount(kafka, changelog) == 150);
                assertThat(restored.get()).as("count restored from the changelog").isEqualTo(100);
            }
        }
    }

    private static void send(KafkaProducer<String, String> producer, String topic, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(topic, "k", "v" + i));
        }
        producer.flush();
    }

    private KafkaStreams start(SharedKafka kafka, String applicationId, String input) throws Exception {
        var topology = new Topology();
        topology.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(),
                input);
        topology.addProcessor("count", () -> new Counter(restored, hookThreads), "in");
        topology.addStateStore(new CommitFlushedStoreBuilder(STORE).withLoggingEnabled(Map.of()), "count");
        var props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        // Kafka Streams does not leave the group on close: the second instance waits out the first's session.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1000);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("commit-flushed").toString());
        var streams = new KafkaStreams(topology, props);
        streams.start();
        return streams;
    }

    /** The last committed value of the count in the changelog, or -1 when there is none yet. */
    private static long committedCount(SharedKafka kafka, String changelog) {
        var config = kafka.consumerConfig("reader-" + System.nanoTime());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            var partition = new TopicPartition(changelog, 0);
            if (consumer.partitionsFor(changelog, Duration.ofSeconds(5)).isEmpty()) {
                return -1;
            }
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long last = -1;
            while (consumer.position(partition) < end) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if ("count".equals(record.key())) {
                        last = Long.parseLong(new String(record.value(), StandardCharsets.UTF_8));
                    }
                }
            }
            return last;
        }
    }

    /** Counts records in memory; writes the count only when the task commits. */
    private static final class Counter implements Processor<String, String, Void, Void> {
        private final AtomicLong restored;
        private final Set<String> hookThreads;
        private long count;

        Counter(AtomicLong restored, Set<String> hookThreads) {
            this.restored = restored;
            this.hookThreads = hookThreads;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            CommitFlushedStore store = context.getStateStore(STORE);
            byte[] stored = store.get("count");
            count = stored == null ? 0 : Long.parseLong(new String(stored, StandardCharsets.UTF_8));
            restored.set(count);
            store.beforeCommit(() -> {
                hookThreads.add(Thread.currentThread().getName());
                store.put("count", Long.toString(count).getBytes(StandardCharsets.UTF_8));
            });
        }

        @Override
        public void process(Record<String, String> record) {
            count++;
        }
    }
}
