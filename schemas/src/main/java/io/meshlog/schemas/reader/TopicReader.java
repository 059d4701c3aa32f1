package io.meshlog.schemas.reader;

import io.meshlog.schemas.serde.SkippingPoller;
import io.meshlog.schemas.serde.UndecodableRecordException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
 * Follows one or more topics on its own thread for as long as its owner runs: every partition
 * assigned (no consumer group), each topic from the beginning or from a while back ({@link
 * TopicStart}), {@code read_committed}, undecodable records skipped through {@link
 * SkippingPoller}. When Kafka is unreachable it backs off (jittered, doubling up to a maximum) and
 * keeps trying forever; what the handler has built so far stays in force. The handler runs on this
 * thread after every poll, with that poll's records (possibly none).
 *
 * @param <V> the topics' value type
 */
public final class TopicReader<V> implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(TopicReader.class);

    /** What to do with each poll's records (possibly none), on the reader's thread. */
    @FunctionalInterface
    public interface BatchHandler<V> {
        void onBatch(ConsumerRecords<String, V> records);
    }

    /**
     * How to read.
     *
     * @param topics the topics and where each starts
     * @param kafka consumer settings (bootstrap servers and any pass-through)
     * @param pollTimeout how long one poll waits
     * @param minBackoff the first wait after a failure
     * @param maxBackoff the longest wait between retries
     */
    public record Settings(List<TopicStart> topics, Map<String, Object> kafka, Duration pollTimeout,
            Duration minBackoff, Duration maxBackoff) {
        /** Defaults for the timings: 200 ms polls, back-off from 100 ms to 5 s. */
        public static final Duration DEFAULT_POLL = Duration.ofMillis(200);
        public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(100);
        public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

        public Settings {
            topics = List.copyOf(topics);
            kafka = Map.copyOf(kafka);
            if (topics.isEmpty()) {
                throw new IllegalArgumentException("a reader needs at least one topic");
            }
        }

        /** One topic from the beginning. */
        public static Settings replay(String topic, Map<String, Object> kafka, Duration pollTimeout,
                Duration minBackoff, Duration maxBackoff) {
            return new Settings(List.of(TopicStart.fromBeginning(topic)), kafka, pollTimeout, minBackoff, maxBackoff);
        }
    }

    private final Settings settings;
    private final Map<String, TopicStart> starts = new HashMap<>();
    private final BatchHandler<V> handler;
    private final Clock clock;
    private final KafkaConsumer<String, V> consumer;
    private final SkippingPoller<String, V> poller;
    private final Thread thread;
    private volatile Map<TopicPartition, Long> replayEnd = Map.of();
    private volatile boolean running = true;

    /**
     * @param threadName the consumer thread's name
     * @param clientId the default {@code client.id}
     * @param clock what "a while back" is measured from
     * @param onSkip told of every undecodable record (log and count it)
     */
    public TopicReader(String threadName, String clientId, Settings settings, Deserializer<V> values, Clock clock,
            Consumer<UndecodableRecordException> onSkip, BatchHandler<V> handler) {
        this.settings = settings;
        settings.topics().forEach(start -> starts.put(start.topic(), start));
        this.handler = handler;
        this.clock = clock;
        this.consumer = new KafkaConsumer<>(consumerConfig(settings, clientId), new StringDeserializer(), values);
        this.poller = new SkippingPoller<>(consumer, onSkip);
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    /** A reader whose topics all start from the beginning (no clock needed). */
    public TopicReader(String threadName, String clientId, Settings settings, Deserializer<V> values,
            Consumer<UndecodableRecordException> onSkip, BatchHandler<V> handler) {
        this(threadName, clientId, settings, values, Clock.systemUTC(), onSkip, handler);
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
     * Whether this thread's position has reached the end offsets the topics had when they were
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

    /**
     * Reads every topic again from its start (or look-back) after this poll, as at start: {@link
     * #replayed()} is false until the new replay reaches the end offsets read then. Call it from the
     * handler (the reader's thread), e.g. when what the handler keeps has widened.
     */
    public void rewind() {
        replayEnd = Map.of();
        consumer.assign(List.of());
    }

    private void run() {
        long backoffMillis = settings.minBackoff().toMillis();
        while (running) {
            try {
                if (consumer.assignment().isEmpty() && !assignAllPartitions()) {
                    backoffMillis = backOff(backoffMillis, "a topic has no partitions yet", null);
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

    /** All partitions of all topics, or none (false) while any topic has none yet. */
    private boolean assignAllPartitions() {
        var partitions = new ArrayList<TopicPartition>();
        for (var topic : starts.keySet()) {
            var infos = consumer.partitionsFor(topic);
            if (infos == null || infos.isEmpty()) {
                return false;
            }
            infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        consumer.assign(partitions);
        var fromStart = new ArrayList<TopicPartition>();
        var byTime = new HashMap<TopicPartition, Long>();
        long now = clock.millis();
        for (var tp : partitions) {
            var lookBack = starts.get(tp.topic()).lookBack();
            if (lookBack == null) {
                fromStart.add(tp);
            } else {
                byTime.put(tp, now - lookBack.toMillis());
            }
        }
        consumer.seekToBeginning(fromStart);
        var ends = consumer.endOffsets(partitions);
        consumer.offsetsForTimes(byTime).forEach((tp, found) -> {
            if (found == null) {
                // Nothing written since then: only what comes next. The end read now, not seekToEnd,
                // which resolves lazily at the first poll and would skip what is written until then.
                consumer.seek(tp, ends.get(tp));
            } else {
                consumer.seek(tp, found.offset());
            }
        });
        replayEnd = Map.copyOf(ends);
        LOGGER.atInfo().addKeyValue("topics", starts.keySet()).addKeyValue("partitions", partitions.size())
                .log("reading topics");
        return true;
    }

    /** Waits (woken early by close), then returns the next, doubled, backoff. */
    private long backOff(long millis, String what, Exception cause) {
        LOGGER.atWarn().addKeyValue("topic", starts.keySet()).addKeyValue("retryInMillis", millis)
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
