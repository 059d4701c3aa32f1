package io.meshlog.proxy.decisions;

import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.serde.SkippingPoller;
import io.meshlog.schemas.serde.UndecodableRecordException;
import io.meshlog.schemas.v1.Decision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code mesh.decisions.v1} from the beginning on its own thread (every partition, no
 * consumer group, {@code read_committed}: the pipeline writes with exactly-once transactions) and
 * hands every record to the {@link DecisionApplier}. Undecodable records are skipped, logged and
 * counted; when Kafka is unreachable the consumer retries with back-off and the decisions already
 * applied stay in force. Counters: {@code meshlog.proxy.decisions.applied} (tag {@code outcome})
 * and {@code meshlog.proxy.decisions.undecodable}.
 */
public final class DecisionsConsumer implements AutoCloseable {
    public static final String APPLIED = "meshlog.proxy.decisions.applied";
    public static final String UNDECODABLE = "meshlog.proxy.decisions.undecodable";
    private static final Logger LOGGER = LoggerFactory.getLogger(DecisionsConsumer.class);

    private final DecisionsConsumerConfig config;
    private final DecisionApplier applier;
    private final Map<DecisionApplier.Outcome, Counter> applied = new EnumMap<>(DecisionApplier.Outcome.class);
    private final Counter undecodable;
    private final KafkaConsumer<String, Decision> consumer;
    private final SkippingPoller<String, Decision> poller;
    private final Thread thread;
    private volatile boolean running = true;

    public DecisionsConsumer(DecisionsConsumerConfig config, DecisionApplier applier, MeterRegistry registry) {
        this.config = config;
        this.applier = applier;
        for (var outcome : DecisionApplier.Outcome.values()) {
            applied.put(outcome, Counter.builder(APPLIED).tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Cluster-wide decisions read by this proxy").register(registry));
        }
        this.undecodable = Counter.builder(UNDECODABLE).description("Decision records skipped as undecodable")
                .register(registry);
        this.consumer = new KafkaConsumer<>(consumerConfig(config), new StringDeserializer(), MeshSerdes.decision());
        this.poller = new SkippingPoller<>(consumer, this::skipUndecodable);
        this.thread = new Thread(this::run, "meshlog-decisions-consumer");
        thread.setDaemon(true);
    }

    private static Map<String, Object> consumerConfig(DecisionsConsumerConfig config) {
        var props = new HashMap<>(config.kafka());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "meshlog-decisions");
        return props;
    }

    /** Starts the consumer thread; returns at once. */
    public synchronized DecisionsConsumer start() {
        if (running && !thread.isAlive()) {
            thread.start();
        }
        return this;
    }

    private void run() {
        long backoffMillis = config.minBackoff().toMillis();
        while (running) {
            try {
                if (consumer.assignment().isEmpty() && !assignAllPartitions()) {
                    backoffMillis = backOff(backoffMillis, "the decisions topic has no partitions yet", null);
                    continue;
                }
                for (var record : poller.poll(config.pollTimeout())) {
                    applied.get(applier.apply(record.key(), record.value())).increment();
                }
                backoffMillis = config.minBackoff().toMillis();
            } catch (WakeupException e) {
                // close() woke the poll up; the loop condition ends it.
            } catch (KafkaException | IllegalStateException e) {
                backoffMillis = backOff(backoffMillis, "decisions consumer failed, keeping the decisions in force", e);
            }
        }
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }

    private boolean assignAllPartitions() {
        var partitions = consumer.partitionsFor(config.topic()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        if (partitions.isEmpty()) {
            return false;
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        LOGGER.atInfo().addKeyValue("topic", config.topic()).addKeyValue("partitions", partitions.size())
                .log("reading cluster-wide decisions from the beginning");
        return true;
    }

    private void skipUndecodable(UndecodableRecordException e) {
        undecodable.increment();
        LOGGER.atWarn().addKeyValue("topic", e.topic()).addKeyValue("partition", e.partition())
                .addKeyValue("offset", e.offset().orElse(-1)).addKeyValue("error", e.getMessage())
                .log("skipping undecodable decision record");
    }

    private long backOff(long millis, String what, Exception cause) {
        LOGGER.atWarn().addKeyValue("topic", config.topic()).addKeyValue("retryInMillis", millis)
                .addKeyValue("error", cause == null ? what : cause.toString()).log(what);
        long jittered = millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(jittered));
        return Math.min(config.maxBackoff().toMillis(), millis * 2);
    }

    /** Stops the thread and closes the Kafka consumer; the decisions applied stay in force. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        if (thread.getState() == Thread.State.NEW) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            return;
        }
        consumer.wakeup();
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
