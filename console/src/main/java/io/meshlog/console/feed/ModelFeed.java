package io.meshlog.console.feed;

import io.meshlog.console.findings.FindingsSource;
import io.meshlog.console.model.MeshModel;
import io.meshlog.console.model.TimeWindow;
import io.meshlog.schemas.reader.TopicReader;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.serde.UndecodableRecordException;
import io.meshlog.schemas.topics.TopicCatalogue;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which topic folds into which part of the model: policies, decisions, alerts, config acks and canary states
 * (compacted state) from the beginning; edge windows from the longest selectable window back;
 * telemetry from a minute back (enough to learn who serves what and fill the live tail). After a
 * batch that changed the policies, asks the findings source about the policies in force. One
 * {@link TopicReader} thread reads them all; values are decoded per topic by the fold, so a record
 * that does not decode or fold is logged and stepped over without stopping the console.
 */
public final class ModelFeed implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ModelFeed.class);
    /** How far back telemetry is read at start. */
    public static final Duration TELEMETRY_LOOK_BACK = Duration.ofMinutes(1);

    private final MeshModel model;
    private final FindingsSource findings;
    private final Map<String, FeedTopic<?>> byTopic;
    private final TopicReader<byte[]> reader;
    private volatile boolean policiesChanged;

    public ModelFeed(Map<String, Object> kafka, TopicCatalogue topics, MeshModel model, FindingsSource findings,
            Clock clock) {
        this.model = model;
        this.findings = findings;
        var feedTopics = List.<FeedTopic<?>>of(
                new FeedTopic<>(topics.policy().name(), MeshSerdes.policyEvent(), null, (k, v) -> {
                    model.policy(k, v);
                    policiesChanged = true;
                }),
                new FeedTopic<>(topics.decisions().name(), MeshSerdes.decision(), null, model::decision),
                new FeedTopic<>(topics.alerts().name(), MeshSerdes.burnRateAlert(), null, model::alert),
                new FeedTopic<>(topics.configAcks().name(), MeshSerdes.configAck(), null, model::configAck),
                new FeedTopic<>(topics.canaryStatus().name(), MeshSerdes.canaryStatus(), null, model::canary),
                new FeedTopic<>(topics.edges().name(), MeshSerdes.edgeMetrics(), TimeWindow.longest(),
                        (k, v) -> {
                            if (v != null) {
                                model.edge(v);
                            }
                        }),
                new FeedTopic<>(topics.telemetry().name(), MeshSerdes.requestTelemetry(), TELEMETRY_LOOK_BACK,
                        (k, v) -> {
                            if (v != null) {
                                model.telemetry(v);
                            }
                        }));
        this.byTopic = feedTopics.stream().collect(Collectors.toUnmodifiableMap(FeedTopic::name, Function.identity()));
        var settings = new TopicReader.Settings(feedTopics.stream().map(FeedTopic::start).toList(), kafka,
                TopicReader.Settings.DEFAULT_POLL, TopicReader.Settings.DEFAULT_MIN_BACKOFF,
                TopicReader.Settings.DEFAULT_MAX_BACKOFF);
        this.reader = new TopicReader<>("meshlog-console-feed", "meshlog-console", settings,
                new ByteArrayDeserializer(), clock, ModelFeed::skipped, this::onBatch);
    }

    public void start() {
        reader.start();
    }

    private void onBatch(ConsumerRecords<String, byte[]> records) {
        if (records.isEmpty()) {
            return;
        }
        for (var record : records) {
            try {
                byTopic.get(record.topic()).accept(record.key(), record.value());
            } catch (RuntimeException e) {
                // A record that does not decode or fold must not stop the console.
                LOGGER.atWarn().addKeyValue("topic", record.topic()).addKeyValue("partition", record.partition())
                        .addKeyValue("offset", record.offset()).addKeyValue("error", e.toString())
                        .log("skipping a record");
            }
        }
        afterBatch();
    }

    private static void skipped(UndecodableRecordException e) {
        LOGGER.atWarn().addKeyValue("topic", e.topic()).addKeyValue("partition", e.partition())
                .addKeyValue("offset", e.offset().orElse(-1)).addKeyValue("error", e.getMessage())
                .log("skipping an undecodable record");
    }

    private void afterBatch() {
        if (!policiesChanged) {
            return;
        }
        policiesChanged = false;
        try {
            model.findings(findings.analyze(model.policiesInForce()));
        } catch (RuntimeException e) {
            // Findings are advice: a failing analyzer must not stop the console's feed.
            LOGGER.atWarn().addKeyValue("error", e.toString()).log("analyzing the policies in force failed");
        }
    }

    @Override
    public void close() {
        reader.close();
    }
}
