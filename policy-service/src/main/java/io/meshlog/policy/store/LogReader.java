package io.meshlog.policy.store;

import io.meshlog.policy.model.PolicyKey;
import io.meshlog.schemas.serde.MeshSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the policy and ack topics from their beginning on one named thread and feeds the
 * views. Knows how far it has read, so a writer can wait until its own write is in the view.
 */
public final class LogReader implements AutoCloseable {
    /** Header carrying the author of a record (tombstones have no value to carry it). */
    public static final String AUTHOR_HEADER = "meshlog-author";
    private static final Logger LOGGER = LoggerFactory.getLogger(LogReader.class);

    private final Consumer<String, byte[]> consumer;
    private final String policyTopic;
    private final String acksTopic;
    private final PolicyView policies;
    private final ProxyView proxies;
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
    private final java.util.Queue<CompletableFuture<Void>> catchUps = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final CompletableFuture<Void> replayed = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Map<TopicPartition, Long> replayTargets = Map.of();

    public LogReader(Consumer<String, byte[]> consumer, String policyTopic, String acksTopic,
            PolicyView policies, ProxyView proxies) {
        this.consumer = consumer;
        this.policyTopic = policyTopic;
        this.acksTopic = acksTopic;
        this.policies = policies;
        this.proxies = proxies;
        this.thread = new Thread(this::run, "meshlog-policy-consumer");
        this.thread.setDaemon(true);
    }

    /** Starts reading; the future completes once everything in the topics at start is in the views. */
    public CompletableFuture<Void> start() {
        thread.start();
        return replayed;
    }

    /** Completes once the view holds the record at {@code offset} of the policy topic's {@code partition}. */
    public CompletableFuture<Void> awaitPolicyOffset(int partition, long offset) {
        var waiter = new Waiter(new TopicPartition(policyTopic, partition), offset, new CompletableFuture<>());
        waiters.add(waiter);
        release();
        return waiter.future;
    }

    /**
     * Completes once the view holds everything committed to the policy topic when this was called
     * (its last stable offsets, read on the reader's own thread within one poll interval).
     */
    public CompletableFuture<Void> awaitCaughtUp() {
        var future = new CompletableFuture<Void>();
        catchUps.add(future);
        if (!running) {
            future.completeExceptionally(new IllegalStateException("policy consumer stopped"));
        }
        return future;
    }

    public boolean isReplayed() {
        return replayed.isDone() && !replayed.isCompletedExceptionally();
    }

    public boolean isRunning() {
        return running && thread.isAlive();
    }

    private void run() {
        try {
            var partitions = new ArrayList<TopicPartition>();
            for (var topic : List.of(policyTopic, acksTopic)) {
                var found = consumer.partitionsFor(topic);
                if (found.isEmpty()) {
                    throw new IllegalStateException("topic " + topic + " does not exist: create it (TopicCreator) or "
                            + "set kafka.createTopics: true");
                }
                found.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            replayTargets = new HashMap<>(consumer.endOffsets(partitions));
            while (running) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (var record : records) {
                    apply(record);
                }
                for (var partition : partitions) {
                    positions.put(partition, consumer.position(partition));
                }
                startCatchUps(partitions);
                release();
                if (!replayed.isDone() && replayTargets.entrySet().stream()
                        .allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
                    LOGGER.atInfo().addKeyValue("topic", policyTopic).addKeyValue("policies", policies.all().size())
                            .log("policy view rebuilt from the log");
                    replayed.complete(null);
                }
            }
        } catch (WakeupException e) {
            LOGGER.atDebug().log("policy consumer woken up to stop");
        } catch (RuntimeException e) {
            LOGGER.atError().addKeyValue("topic", policyTopic).addKeyValue("error", e.getMessage()).setCause(e)
                    .log("policy consumer stopped");
            replayed.completeExceptionally(e);
        } finally {
            running = false;
            waiters.forEach(w -> w.future.completeExceptionally(new IllegalStateException("policy consumer stopped")));
            catchUps.forEach(f -> f.completeExceptionally(new IllegalStateException("policy consumer stopped")));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.topic().equals(policyTopic)) {
                var key = PolicyKey.parse(record.key());
                if (key == null) {
                    throw new IllegalArgumentException("malformed key");
                }
                var event = MeshSerdes.policyEvent().deserialize(record.topic(), record.value());
                policies.apply(key, event, author(record), Instant.ofEpochMilli(record.timestamp()), record.offset());
            } else {
                proxies.apply(record.key(), MeshSerdes.configAck().deserialize(record.topic(), record.value()),
                        Instant.ofEpochMilli(record.timestamp()));
            }
        } catch (RuntimeException e) {
            LOGGER.atWarn().addKeyValue("topic", record.topic()).addKeyValue("partition", record.partition())
                    .addKeyValue("offset", record.offset()).addKeyValue("error", e.getMessage())
                    .log("skipping unreadable record");
        }
    }

    private static String author(ConsumerRecord<String, byte[]> record) {
        var header = record.headers().lastHeader(AUTHOR_HEADER);
        return header == null ? "unknown" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Turns each catch-up request into waiters on the policy topic's current last stable offsets. */
    private void startCatchUps(List<TopicPartition> partitions) {
        if (catchUps.isEmpty()) {
            return;
        }
        var policyPartitions = partitions.stream().filter(p -> p.topic().equals(policyTopic)).toList();
        var ends = consumer.endOffsets(policyPartitions); // read_committed: the last stable offsets
        for (CompletableFuture<Void> request; (request = catchUps.poll()) != null; ) {
            var parts = new ArrayList<CompletableFuture<Void>>();
            ends.forEach((partition, end) -> {
                if (end > 0) {
                    var waiter = new Waiter(partition, end - 1, new CompletableFuture<>());
                    waiters.add(waiter);
                    parts.add(waiter.future);
                }
            });
            var done = request;
            CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
                if (error == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(error);
                }
            });
        }
    }

    private void release() {
        for (var waiter : waiters) {
            if (positions.getOrDefault(waiter.partition, -1L) > waiter.offset) {
                waiter.future.complete(null);
                waiters.remove(waiter);
            }
        }
        if (!running) {
            waiters.forEach(w -> w.future.completeExceptionally(new IllegalStateException("policy consumer stopped")));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }

    private record Waiter(TopicPartition partition, long offset, CompletableFuture<Void> future) {}
}
