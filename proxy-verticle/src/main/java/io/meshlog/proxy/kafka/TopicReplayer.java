package io.meshlog.proxy.kafka;

import io.meshlog.schemas.serde.SkippingPoller;
import io.meshlog.schemas.serde.UndecodableRecordException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one compacted topic from the beginning on its own thread, for as long as the proxy runs:
 * every partition assigned (no consumer group: every proxy needs all of it), {@code
 * read_committed}, undecodable records skipped through {@link SkippingPoller}. When Kafka is
 * unreachable it backs off (jittered, doubling up to a maximum) and keeps trying forever; what
 * the handler has built so far stays in force. The handler runs on this thread after every poll.
 *
 * @param <V> the topic's value type
 */
public final class TopicReplayer<V> implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(TopicReplayer.class);

    /** What to do with each poll's records (possibly none), on the replayer's thread. */
    public interface BatchHandler<V> {
        void onBatch(ConsumerRecords<String, V> records);
    }

    /**
     * How to read.
     *
     * @param topic the topic
     * @param kafka consumer settings (bootstrap servers and any pass-through)
     * @param pollTimeout how long one poll waits
     * @param minBackoff the first wait after a failure
     * @param maxBackoff the longest wait between retries
     */
    public record Settings(String topic, Map<String, Object> kafka, Duration pollTimeout, Duration minBackoff,
            Duration maxBackoff) {}

    private final Settings settings;
    private final BatchHandler<V> handler;
    private final KafkaConsumer<String, V> consumer;
    private final SkippingPoller<String, V> poller;
    private final Thread thread;
    private volatile Map<TopicPartition, Long> replayEnd = Map.of();
    private volatile boolean running = true;

    /**
     * @param threadName the consumer thread's name
     * @param clientId the default {@code client.id}
     * @param onSkip told of every undecodable record (log and count it)
     */
    public TopicReplayer(String threadName, String clientId, Settings settings, Deserializer<V> values,
            Consumer<UndecodableRecordException> onSkip, BatchHandler<V> handler) {
        this.settings = settings;
        this.handler = handler;
        this.consumer = new KafkaConsumer<>(consumerConfig(settings, clientId), new StringDeserializer(), values);
        this.poller = new SkippingPoller<>(consumer, onSkip);
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    private static Map<String, Object> consumerConfig(Settings settings, String clientId) {
        var props = new HashMap<>(settings.kafka());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Writers use transactions (the pipeline's exactly-once): never apply an aborted record.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return props;
    }

    /** Starts the thread; returns at once. */
    public synchronized void start() {
        if (running && !thread.isAlive()) {
            thread.start();
        }
    }

    /**
     * Whether this thread's position has reached the end offsets the topic had when it was
     * assigned (the initial replay is done). Call it from the handler.
     */
    public boolean replayed() {
        var ends = replayEnd;
        if (ends.isEmpty()) {
            return false;
        }
        for (var end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void run() {
        long backoffMillis = settings.minBackoff().toMillis();
        while (running) {
            try {
                if (consumer.assignment().isEmpty() && !assignAllPartitions()) {
                    backoffMillis = backOff(backoffMillis, "the topic has no partitions yet", null);
                    continue;
                }
                handler.onBatch(poller.poll(settings.pollTimeout()));
                backoffMillis = settings.minBackoff().toMillis();
            } catch (WakeupException e) {
                // close() woke the poll up; the loop condition ends it.
            } catch (KafkaException | IllegalStateException e) {
                backoffMillis = backOff(backoffMillis, "consumer failed, keeping what was read", e);
            }
        }
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }

    private boolean assignAllPartitions() {
        var partitions = consumer.partitionsFor(settings.topic()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        if (partitions.isEmpty()) {
            return false;
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        replayEnd = Map.copyOf(consumer.endOffsets(partitions));
        LOGGER.atInfo().addKeyValue("topic", settings.topic()).addKeyValue("partitions", partitions.size())
                .addKeyValue("endOffsets", replayEnd.values()).log("replaying the topic from the beginning");
        return true;
    }

    /** Waits (woken early by close), then returns the next, doubled, backoff. */
    private long backOff(long millis, String what, Exception cause) {
        LOGGER.atWarn().addKeyValue("topic", settings.topic()).addKeyValue("retryInMillis", millis)
                .addKeyValue("error", cause == null ? what : cause.toString())
                .setCause(cause != null && LOGGER.isDebugEnabled() ? cause : null).log(what);
        long jittered = millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(jittered));
        return Math.min(settings.maxBackoff().toMillis(), millis * 2);
    }

    /** Stops the thread and closes the Kafka consumer. */
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
