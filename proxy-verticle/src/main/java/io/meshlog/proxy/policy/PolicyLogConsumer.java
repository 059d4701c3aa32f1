package io.meshlog.proxy.policy;

import io.meshlog.proxy.config.SidecarKafkaClients;
import io.meshlog.schemas.reader.TopicReader;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.serde.UndecodableRecordException;
import io.meshlog.schemas.v1.PolicyEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
 * <p>With a {@link PolicyScope}, the proxy keeps only the policies in the scope of the Istio Sidecar
 * that applies to it (see {@link PolicyLog}); when that Sidecar changes so that policies skipped
 * before may now apply, it reads the topic again from the start and delivers once it is through,
 * the last state staying in force meanwhile.
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
    private final TopicReader<PolicyEvent> replayer;
    private final PolicyLog log;
    private volatile PolicyState current = PolicyState.empty();
    private volatile boolean caughtUp;
    private long deliveredVersion = -1;

    /**
     * @param listener receives every new state, on the consumer's thread; it must not block long
     */
    public PolicyLogConsumer(
            PolicyConsumerConfig config, Consumer<PolicyState> listener, MeterRegistry registry) {
        this(config, null, listener, registry);
    }

    /**
     * @param scope this workload, whose Sidecar scopes what it keeps; null keeps every policy
     * @param listener receives every new state, on the consumer's thread; it must not block long
     */
    public PolicyLogConsumer(PolicyConsumerConfig config, PolicyScope scope, Consumer<PolicyState> listener,
            MeterRegistry registry) {
        this.log = new PolicyLog(scope);
        this.config = config;
        this.listener = listener;
        this.rejectedInvalid = rejectedCounter(registry, "invalid");
        this.rejectedUndecodable = rejectedCounter(registry, "undecodable");
        var kafka = SidecarKafkaClients.settings(config.kafka());
        kafka.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.apiTimeout().toMillis());
        this.replayer = new TopicReader<>("meshlog-policy-consumer", "meshlog-policy",
                TopicReader.Settings.replay(config.topic(), kafka, config.pollTimeout(), config.minBackoff(),
                        config.maxBackoff()),
                MeshSerdes.policyEvent(), this::skipUndecodable, this::onBatch);
    }

    private static Counter rejectedCounter(MeterRegistry registry, String reason) {
        return Counter.builder(REJECTED).tag("reason", reason).baseUnit("records")
                .description("Policy records skipped by this proxy (invalid or undecodable)")
                .register(registry);
    }

    /** Starts the consumer thread; returns at once. */
    public PolicyLogConsumer start() {
        replayer.start();
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

    private void onBatch(ConsumerRecords<String, PolicyEvent> records) {
        for (var record : records) {
            apply(record);
        }
        if (log.rescope()) {
            LOGGER.atInfo().addKeyValue("topic", config.topic())
                    .log("the Sidecar scope widened: reading the policy topic again");
            replayer.rewind();
            return;
        }
        if (!replayer.replayed()) {
            return; // the initial replay, or one after a rewind: the last state stays in force
        }
        if (!caughtUp) {
            deliver(); // first, so that ready means compiled and the registry watched, not only read
            caughtUp = true;
            LOGGER.atInfo().addKeyValue("topic", config.topic())
                    .addKeyValue("policies", current.policies().size())
                    .addKeyValue("version", current.version())
                    .addKeyValue("scope", current.scope())
                    .log("policy topic replayed");
        } else if (log.version() != deliveredVersion) {
            deliver();
        }
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
        deliveredVersion = state.version();
        current = state;
        try {
            listener.accept(state);
        } catch (RuntimeException e) {
            LOGGER.atError().addKeyValue("version", state.version())
                    .addKeyValue("error", e.getMessage()).setCause(e)
                    .log("the policy state listener failed; the consumer goes on");
        }
    }

    /** Stops the thread and closes the Kafka consumer. */
    @Override
    public void close() {
        replayer.close();
    }
}
