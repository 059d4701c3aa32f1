package io.meshlog.pipeline;

import io.meshlog.pipeline.config.PipelineConfig;
import io.meshlog.pipeline.config.StreamsSettings;
import io.meshlog.pipeline.export.PipelineObserver;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.v1.BurnRateAlert;
import io.meshlog.schemas.v1.CanaryStatus;
import io.meshlog.schemas.v1.ConfigAck;
import io.meshlog.schemas.v1.DeadLetter;
import io.meshlog.schemas.v1.Decision;
import io.meshlog.schemas.v1.EdgeMetrics;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RequestTelemetry;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The whole pipeline topology in a TopologyTestDriver, with helpers to pipe telemetry and policies. */
public final class PipelineDriver implements AutoCloseable {
    public static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
    private static final AtomicLong IDS = new AtomicLong();

    public final TopologyTestDriver driver;
    public final TestInputTopic<String, RequestTelemetry> telemetry;
    public final TestInputTopic<String, PolicyEvent> policies;
    public final TestInputTopic<String, byte[]> rawTelemetry;
    public final TestOutputTopic<String, Decision> decisions;
    public final TestOutputTopic<String, BurnRateAlert> alerts;
    public final TestOutputTopic<String, EdgeMetrics> edges;
    public final TestOutputTopic<String, DeadLetter> deadLetters;
    public final TestInputTopic<String, ConfigAck> configAcks;
    /** What the pipeline writes to the policy topic (the canary controller's routes). */
    public final TestOutputTopic<String, PolicyEvent> policyWrites;
    public final TestOutputTopic<String, CanaryStatus> canaryStatuses;
    public final TestOutputTopic<String, io.meshlog.schemas.v1.ShadowComparison> mirrorComparisons;

    public PipelineDriver(PipelineObserver observer) {
        var topics = new TopicCatalogue("t.");
        try {
            var config = PipelineConfig.fromMap(Map.of("bootstrap.servers", "unused:9092",
                    "application.id", "pipeline-test", "topic.prefix", "t.",
                    "state.dir", Files.createTempDirectory("pipeline-ttd").toString(),
                    "kafka.streams.statestore.cache.max.bytes", "0"));
            driver = new TopologyTestDriver(PipelineTopology.build(topics, observer),
                    StreamsSettings.of(config, observer), T0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        var strings = new StringSerializer();
        telemetry = driver.createInputTopic(topics.telemetry().name(), strings, MeshSerdes.requestTelemetry());
        rawTelemetry = driver.createInputTopic(topics.telemetry().name(), strings, new ByteArraySerializer());
        policies = driver.createInputTopic(topics.policy().name(), strings, MeshSerdes.policyEvent());
        var keys = new StringDeserializer();
        decisions = driver.createOutputTopic(topics.decisions().name(), keys, MeshSerdes.decision());
        alerts = driver.createOutputTopic(topics.alerts().name(), keys, MeshSerdes.burnRateAlert());
        edges = driver.createOutputTopic(topics.edges().name(), keys, MeshSerdes.edgeMetrics());
        deadLetters = driver.createOutputTopic(topics.deadLetters().name(), keys, MeshSerdes.deadLetter());
        configAcks = driver.createInputTopic(topics.configAcks().name(), strings, MeshSerdes.configAck());
        policyWrites = driver.createOutputTopic(topics.policy().name(), keys, MeshSerdes.policyEvent());
        canaryStatuses = driver.createOutputTopic(topics.canaryStatus().name(), keys, MeshSerdes.canaryStatus());
        mirrorComparisons = driver.createOutputTopic(topics.mirrorComparisons().name(), keys, MeshSerdes.shadowComparison());
    }

    public PipelineDriver() {
        this(PipelineObserver.NONE);
    }

    /** A telemetry event of one attempt from {@code source} to {@code service} at {@code endpoint}. */
    public static RequestTelemetry.Builder event(String source, String service, String endpoint, int status,
            Instant time) {
        long id = IDS.incrementAndGet();
        return RequestTelemetry.newBuilder().setTraceId("t" + id).setSpanId("s" + id).setRequestId("r" + id)
                .setProxyId(source + "-proxy").setReporter(Reporter.SOURCE).setSourceWorkload(source)
                .setSourceNamespace("default").setDestinationService(service).setDestinationEndpoint(endpoint)
                .setMethod("GET").setStatus(status).setDurationMicros(2_000).setEventTime(time);
    }

    /** Pipes one event keyed by its destination service, with its event time as record time. */
    public void send(RequestTelemetry event) {
        telemetry.pipeInput(event.getDestinationService(), event, event.getEventTime());
    }

    /** Pipes one policy under its kind/namespace/name key. */
    public void send(PolicyEvent policy) {
        policies.pipeInput(policy.getKind() + "/" + policy.getNamespace() + "/" + policy.getName(), policy,
                policy.getTime());
    }

    public void advanceWallClock(Duration by) {
        driver.advanceWallClockTime(by);
    }

    @Override
    public void close() {
        driver.close();
    }
}
