package io.meshlog.policy.adoption;

import io.meshlog.schemas.reader.TopicReader;
import io.meshlog.schemas.reader.TopicStart;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.v1.ConfigAck;
import io.meshlog.schemas.v1.EdgeMetrics;
import io.meshlog.schemas.v1.RequestTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one window of the mesh's edge, telemetry and config-ack topics: from {@code window} back
 * to the end offsets the topics had when reading began, with schemas' one topic loop.
 */
public final class WindowReader {
    private final Map<String, Object> kafka;
    private final TopicCatalogue topics;
    private final Clock clock;

    public WindowReader(Map<String, Object> kafka, TopicCatalogue topics, Clock clock) {
        this.kafka = Map.copyOf(kafka);
        this.topics = topics;
        this.clock = clock;
    }

    /** The window ending now; fails after {@code timeout} when Kafka does not answer. */
    public WindowData read(Duration window, Duration timeout) {
        var edges = new ArrayList<EdgeMetrics>();
        var telemetry = new ArrayList<RequestTelemetry>();
        var proxies = new ArrayList<WindowData.ProxySample>();
        var edgeSerde = MeshSerdes.edgeMetrics();
        var telemetrySerde = MeshSerdes.requestTelemetry();
        var ackSerde = MeshSerdes.configAck();
        var done = new CompletableFuture<Void>();
        var to = clock.instant();
        var settings = new TopicReader.Settings(List.of(TopicStart.since(topics.edges().name(), window),
                TopicStart.since(topics.telemetry().name(), window), TopicStart.since(topics.configAcks().name(), window)),
                kafka, TopicReader.Settings.DEFAULT_POLL, TopicReader.Settings.DEFAULT_MIN_BACKOFF,
                TopicReader.Settings.DEFAULT_MAX_BACKOFF);
        var holder = new TopicReader<?>[1];
        try (var reader = new TopicReader<>("meshctl-window", "meshctl-window", settings, new ByteArrayDeserializer(), clock,
                e -> { }, records -> {
                    for (var record : records) {
                        if (record.value() == null) {
                            continue;
                        }
                        var topic = record.topic();
                        if (topic.equals(topics.edges().name())) {
                            edges.add(edgeSerde.deserialize(topic, record.value()));
                        } else if (topic.equals(topics.telemetry().name())) {
                            telemetry.add(telemetrySerde.deserialize(topic, record.value()));
                        } else {
                            var ack = ackSerde.deserialize(topic, record.value());
                            proxies.add(new WindowData.ProxySample(ack.getProxyId(), ack.getWorkload(), ack.getNamespace(),
                                    record.timestamp(), ack.getCpuSeconds(), ack.getResidentBytes()));
                        }
                    }
                    if (holder[0] != null && holder[0].replayed()) {
                        done.complete(null);
                    }
                })) {
            holder[0] = reader;
            reader.start();
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not read the mesh's topics within " + timeout.toSeconds()
                    + " s: is Kafka at " + kafka.get("bootstrap.servers") + " and are the topic names right (--topic-prefix)?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the mesh's topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the mesh's topics failed: " + e.getCause().getMessage(), e);
        }
        // The future's completion orders the reader thread's writes before these reads.
        return new WindowData(to, window, edges, telemetry, proxies);
    }
}
