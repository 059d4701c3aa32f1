package io.meshlog.proxy.policy;

import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.serde.SkippingPoller;
import io.meshlog.schemas.serde.UndecodableRecordException;
import io.meshlog.schemas.v1.PolicyEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted policy topic from the beginning on its own thread and keeps the latest
 * valid event per key. It hands a new {@link PolicyState} to its listener once the initial replay
 * has reached the end offsets the topic had at start (so a proxy never serves a half-read
 * configuration), and after that after every poll that changed something. Invalid events and
 * undecodable records are skipped, logged and counted ({@code meshlog.proxy.policy.rejected}).
 * When Kafka is unreachable the last state stays in force and the consumer retries forever.
 *
 * <p>No consumer group: every proxy reads every partition and commits nothing.
 */
public final class PolicyLogConsumer implements AutoCloseable {
    /** Counter of skipped records; tag {@code reason}: {@code invalid} or {@code undecodable}. */
    public static final String REJECTED = "meshlog.proxy.policy.rejected";
    private static final Logger LOGGER = LoggerFactory.getLogger(PolicyLogConsumer.class);

    private final PolicyConsumerConfig config;
    private final Consumer<PolicyState> listener;
    private final Counter rejectedInvalid;
    private final Counter rejectedUndecodable;
    private final KafkaConsumer<String, PolicyEvent> consumer;
    private final SkippingPoller<String, PolicyEvent> poller;
    private final PolicyLog log = new PolicyLog();
    private final Thread thread;
    private Map<TopicPartition, Long> replayEnd = Map.of();
    private volatile PolicyState current = PolicyState.empty();
    private volatile boolean caughtUp;
    private volatile boolean running = true;

    /**
     * @param listener receives every new state, on the consumer's thread; it must not block long
     */
    public PolicyLogConsumer(
            PolicyConsumerConfig config, Consumer<PolicyState> listener, MeterRegistry registry) {
        this.config = config;
        this.listener = listener;
        this.rejectedInvalid = rejectedCounter(registry, "invalid");
        this.rejectedUndecodable = rejectedCounter(registry, "undecodable");
        this.consumer = new KafkaConsumer<>(consumerConfig(config), new StringDeserializer(),
                MeshSerdes.policyEvent());
        this.poller = new SkippingPoller<>(consumer, this::skipUndecodable);
        this.thread = new Thread(this::run, "meshlog-policy-consumer");
        thread.setDaemon(true);
    }

    private static Counter rejectedCounter(MeterRegistry registry, String reason) {
        return Counter.builder(REJECTED).tag("reason", reason).baseUnit("records")
                .description("Policy records skipped by this proxy (invalid or undecodable)")
                .register(registry);
    }

    private static Map<String, Object> consumerConfig(PolicyConsumerConfig config) {
        var props = new HashMap<>(config.kafka());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The policy service may publish in transactions: never apply an aborted change.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.apiTimeout().toMillis());
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "meshlog-policy");
        return props;
    }

    /** Starts the consumer thread; returns at once. */
    public synchronized PolicyLogConsumer start() {
        if (running && !thread.isAlive()) {
            thread.start();
        }
        return this;
    }

    /** Whether the initial replay has reached the end of the topic (readiness). */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    /** The latest state delivered (empty before the replay is done). */
    public PolicyState current() {
        return current;
    }

    private void run() {
        long backoffMillis = config.minBackoff().toMillis();
        while (running) {
            try {
                if (consumer.assignment().isEmpty() && !assignAllPartitions()) {
                    backoffMillis = backOff(backoffMillis, "the policy topic has no partitions yet", null);
                    continue;
                }
                pollOnce();
                backoffMillis = config.minBackoff().toMillis();
            } catch (WakeupException e) {
                // close() woke the poll up; the loop condition ends it.
            } catch (KafkaException | IllegalStateException e) {
                backoffMillis = backOff(backoffMillis, "policy consumer failed, keeping the last state", e);
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
        replayEnd = Map.copyOf(consumer.endOffsets(partitions));
        LOGGER.atInfo().addKeyValue("topic", config.topic())
                .addKeyValue("partitions", partitions.size())
                .addKeyValue("endOffsets", replayEnd.values())
                .log("replaying the policy topic from the beginning");
        return true;
    }

    private void pollOnce() {
        boolean changed = false;
        for (var record : poller.poll(config.pollTimeout())) {
            changed |= apply(record);
        }
        if (!caughtUp && replayReachedEnd()) {
            caughtUp = true;
            deliver();
            LOGGER.atInfo().addKeyValue("topic", config.topic())
                    .addKeyValue("policies", current.policies().size())
                    .addKeyValue("version", current.version())
                    .log("policy topic replayed");
        } else if (caughtUp && changed) {
            deliver();
        }
    }

    private boolean replayReachedEnd() {
        for (var end : replayEnd.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private boolean apply(ConsumerRecord<String, PolicyEvent> record) {
        var key = record.key();
        var event = record.value();
        if (event == null) {
            return key != null && log.delete(key);
        }
        var problem = PolicyEventValidator.problem(key, event);
        if (problem.isEmpty()) {
            return log.put(key, event);
        }
        rejectedInvalid.increment();
        LOGGER.atWarn().addKeyValue("topic", record.topic())
                .addKeyValue("partition", record.partition())
                .addKeyValue("offset", record.offset())
                .addKeyValue("policyKind", event.getKind())
                .addKeyValue("policyName", event.getNamespace() + "/" + event.getName())
                .addKeyValue("generation", event.getGeneration())
                .addKeyValue("error", problem.get())
                .log("skipping invalid policy event");
        return log.reject(new PolicyRejection(key == null ? "<no key>" : key,
                event.getGeneration(), problem.get()));
    }

    private void skipUndecodable(UndecodableRecordException e) {
        rejectedUndecodable.increment();
        LOGGER.atWarn().addKeyValue("topic", e.topic())
                .addKeyValue("partition", e.partition())
                .addKeyValue("offset", e.offset().orElse(-1))
                .addKeyValue("error", e.getMessage())
                .setCause(LOGGER.isDebugEnabled() ? e : null)
                .log("skipping undecodable policy record");
    }

    private void deliver() {
        var state = log.snapshot();
        current = state;
        try {
            listener.accept(state);
        } catch (RuntimeException e) {
            LOGGER.atError().addKeyValue("version", state.version())
                    .addKeyValue("error", e.getMessage()).setCause(e)
                    .log("the policy state listener failed; the consumer goes on");
        }
    }

    /** Waits (woken early by close), then returns the next, doubled, backoff. */
    private long backOff(long millis, String what, Exception cause) {
        LOGGER.atWarn().addKeyValue("topic", config.topic())
                .addKeyValue("retryInMillis", millis)
                .addKeyValue("error", cause == null ? what : cause.toString())
                .setCause(cause != null && LOGGER.isDebugEnabled() ? cause : null)
                .log(what);
        long jittered = millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(jittered));
        return Math.min(config.maxBackoff().toMillis(), millis * 2);
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
