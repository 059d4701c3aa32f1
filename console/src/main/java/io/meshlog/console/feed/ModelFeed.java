package io.meshlog.console.feed;

import io.meshlog.console.findings.FindingsSource;
import io.meshlog.console.model.MeshModel;
import io.meshlog.console.model.TimeWindow;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which topic folds into which part of the model: policies, decisions, alerts and config acks
 * (compacted state) from the beginning; edge windows from the longest selectable window back;
 * telemetry from a minute back (enough to learn who serves what and fill the live tail). After a
 * batch that changed the policies, asks the findings source about the policies in force.
 */
public final class ModelFeed implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ModelFeed.class);
    /** How far back telemetry is read at start. */
    public static final Duration TELEMETRY_LOOK_BACK = Duration.ofMinutes(1);

    private final MeshModel model;
    private final FindingsSource findings;
    private final TopicFeed feed;
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
        this.feed = new TopicFeed(kafka, feedTopics, this::afterBatch, clock);
    }

    public void start() {
        feed.start();
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
        feed.close();
    }
}
