package io.meshlog.proxy.decisions;

import io.meshlog.proxy.config.SidecarKafkaClients;
import io.meshlog.schemas.reader.TopicReader;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.serde.UndecodableRecordException;
import io.meshlog.schemas.v1.Decision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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

    private final DecisionApplier applier;
    private final Map<DecisionApplier.Outcome, Counter> applied = new EnumMap<>(DecisionApplier.Outcome.class);
    private final Counter undecodable;
    private final TopicReader<Decision> replayer;

    public DecisionsConsumer(DecisionsConsumerConfig config, DecisionApplier applier, MeterRegistry registry) {
        this.applier = applier;
        for (var outcome : DecisionApplier.Outcome.values()) {
            applied.put(outcome, Counter.builder(APPLIED).tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Cluster-wide decisions read by this proxy").register(registry));
        }
        this.undecodable = Counter.builder(UNDECODABLE).description("Decision records skipped as undecodable")
                .register(registry);
        this.replayer = new TopicReader<>("meshlog-decisions-consumer", "meshlog-decisions",
                TopicReader.Settings.replay(config.topic(), SidecarKafkaClients.settings(config.kafka()), config.pollTimeout(), config.minBackoff(),
                        config.maxBackoff()),
                MeshSerdes.decision(), this::skipUndecodable, this::onBatch);
    }

    /** Starts the consumer thread; returns at once. */
    public DecisionsConsumer start() {
        replayer.start();
        return this;
    }

    private void onBatch(ConsumerRecords<String, Decision> records) {
        for (var record : records) {
            applied.get(applier.apply(record.key(), record.value())).increment();
        }
    }

    private void skipUndecodable(UndecodableRecordException e) {
        undecodable.increment();
        LOGGER.atWarn().addKeyValue("topic", e.topic()).addKeyValue("partition", e.partition())
                .addKeyValue("offset", e.offset().orElse(-1)).addKeyValue("error", e.getMessage())
                .log("skipping undecodable decision record");
    }

    /** Stops the thread and closes the Kafka consumer; the decisions applied stay in force. */
    @Override
    public void close() {
        replayer.close();
    }
}
