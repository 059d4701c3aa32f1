package io.meshlog.console.feed;

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
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the console's topics on one thread for as long as the console runs: every partition
 * assigned (no consumer group: each console needs all of it), {@code read_committed}, undecodable
 * records stepped over by the schemas module's {@link SkippingPoller}, back-off while Kafka is
 * away. The same shape as the proxy's {@code TopicReplayer}, which reads one compacted topic from
 * the beginning; the console needs several topics and starting points by time, and cannot depend
 * on the proxy module (the lead may move both onto one reader in {@code schemas}).
 */
public final class TopicFeed implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(TopicFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final Map<String, FeedTopic<?>> topics = new HashMap<>();
    private final Runnable afterBatch;
    private final Clock clock;
    private final KafkaConsumer<String, byte[]> consumer;
    private final SkippingPoller<String, byte[]> poller;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param kafka consumer settings (bootstrap servers and any pass-through)
     * @param afterBatch runs on the feed thread after each poll that returned records
     */
    public TopicFeed(Map<String, Object> kafka, List<FeedTopic<?>> topics, Runnable afterBatch, Clock clock) {
        topics.forEach(t -> this.topics.put(t.name(), t));
        this.afterBatch = afterBatch;
        this.clock = clock;
        var props = new HashMap<>(kafka);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The pipeline writes with transactions: never show an aborted decision or window.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "meshlog-console");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.poller = new SkippingPoller<>(consumer, this::skipped);
        this.thread = new Thread(this::run, "meshlog-console-feed");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        long backoff = 100;
        boolean assigned = false;
        while (running) {
            try {
                if (!assigned) {
                    assigned = assign();
                    if (!assigned) {
                        backoff = backOff(backoff, "the console's topics have no partitions yet", null);
                        continue;
                    }
                }
                var records = poller.poll(POLL);
                for (var record : records) {
                    fold(record.topic(), record.key(), record.value(), record.partition(), record.offset());
                }
                if (!records.isEmpty()) {
                    afterBatch.run();
                }
                backoff = 100;
            } catch (WakeupException e) {
                // close() woke the poll; the loop condition ends it.
            } catch (KafkaException | IllegalStateException e) {
                backoff = backOff(backoff, "console feed failed, keeping what was read", e);
            }
        }
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }

    private boolean assign() {
        var partitions = new ArrayList<TopicPartition>();
        for (var topic : topics.values()) {
            var infos = consumer.partitionsFor(topic.name());
            if (infos == null || infos.isEmpty()) {
                return false;
            }
            infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
        }
        consumer.assign(partitions);
        var byTime = new HashMap<TopicPartition, Long>();
        var fromStart = new ArrayList<TopicPartition>();
        for (var tp : partitions) {
            var lookBack = topics.get(tp.topic()).lookBack();
            if (lookBack == null) {
                fromStart.add(tp);
            } else {
                byTime.put(tp, clock.millis() - lookBack.toMillis());
            }
        }
        consumer.seekToBeginning(fromStart);
        var offsets = consumer.offsetsForTimes(byTime);
        offsets.forEach((tp, found) -> {
            if (found == null) {
                consumer.seekToEnd(List.of(tp));
            } else {
                consumer.seek(tp, found.offset());
            }
        });
        LOGGER.atInfo().addKeyValue("topics", topics.keySet()).addKeyValue("partitions", partitions.size())
                .log("console feed assigned");
        return true;
    }

    private void fold(String topic, String key, byte[] value, int partition, long offset) {
        try {
            topics.get(topic).accept(key, value);
        } catch (RuntimeException e) {
            // A record that decodes but cannot be folded must not stop the console.
            LOGGER.atWarn().addKeyValue("topic", topic).addKeyValue("partition", partition)
                    .addKeyValue("offset", offset).addKeyValue("error", e.toString()).log("skipping a record");
        }
    }

    private void skipped(UndecodableRecordException e) {
        LOGGER.atWarn().addKeyValue("topic", e.topic()).addKeyValue("partition", e.partition())
                .addKeyValue("offset", e.offset()).addKeyValue("error", e.getMessage())
                .log("skipping an undecodable record");
    }

    private long backOff(long millis, String what, Exception cause) {
        LOGGER.atWarn().addKeyValue("retryInMillis", millis).addKeyValue("error", cause == null ? what : cause.toString())
                .log(what);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1)));
        return Math.min(MAX_BACKOFF_MILLIS, millis * 2);
    }

    @Override
    public void close() {
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
