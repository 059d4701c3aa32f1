package io.meshlog.dev.view;

import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.serde.SkippingPoller;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.v1.BurnRateAlert;
import io.meshlog.schemas.v1.CanaryStatus;
import io.meshlog.schemas.v1.Decision;
import io.meshlog.schemas.v1.EdgeMetrics;
import io.meshlog.schemas.v1.IssuedCertificate;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refreshing terminal view: one thread consumes the output topics (edges from now on;
 * decisions, alerts and certificates from the beginning, since they are compacted state), folds
 * them into a {@link MeshView} and redraws every {@code refresh}.
 */
public final class LiveView implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(LiveView.class);

    private final String bootstrapServers;
    private final TopicCatalogue topics;
    private final LiveViewRenderer renderer;
    private final PrintWriter out;
    private final boolean redraw;
    private final Duration refresh;
    private final MeshView view = new MeshView();
    private volatile boolean running = true;
    private Thread thread;

    /**
     * @param redraw clear the screen before each frame (a terminal); otherwise print frames one
     *     after another
     */
    public LiveView(String bootstrapServers, TopicCatalogue topics, Clock clock, List<String> header,
            PrintWriter out, boolean redraw, Duration refresh) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.renderer = new LiveViewRenderer(clock, header);
        this.out = out;
        this.redraw = redraw;
        this.refresh = refresh;
    }

    public void start() {
        thread = new Thread(this::run, "meshlog-live-view");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        var edgeSerde = MeshSerdes.edgeMetrics();
        var decisionSerde = MeshSerdes.decision();
        var alertSerde = MeshSerdes.burnRateAlert();
        var certSerde = MeshSerdes.issuedCertificate();
        var canarySerde = MeshSerdes.canaryStatus();
        // read_committed: the pipeline writes decisions, alerts and canary statuses in transactions
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            var partitions = new ArrayList<TopicPartition>();
            for (var spec : List.of(topics.edges(), topics.decisions(), topics.alerts(), topics.certIssued(), topics.policy(),
                    topics.canaryStatus())) {
                for (int p = 0; p < spec.partitions(); p++) {
                    partitions.add(new TopicPartition(spec.name(), p));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions.stream().filter(tp -> !tp.topic().equals(topics.edges().name())).toList());
            consumer.seekToEnd(partitions.stream().filter(tp -> tp.topic().equals(topics.edges().name())).toList());
            var poller = new SkippingPoller<>(consumer, e -> LOGGER.atDebug()
                    .addKeyValue("error", e.getMessage()).log("live view skipped a record"));
            long nextFrame = 0;
            while (running) {
                for (var record : poller.poll(Duration.ofMillis(250))) {
                    foldLocked(record.topic(), record.key(), record.value(), edgeSerde::deserialize,
                            decisionSerde::deserialize, alertSerde::deserialize, certSerde::deserialize,
                            canarySerde::deserialize);
                }
                if (System.nanoTime() >= nextFrame) {
                    draw();
                    nextFrame = System.nanoTime() + refresh.toNanos();
                }
            }
        } catch (RuntimeException e) {
            LOGGER.atWarn().addKeyValue("error", e.getMessage()).log("live view stopped");
        }
    }

    /** What the view shows right now (callable from any thread). */
    public synchronized MeshView.Snapshot snapshot() {
        return view.snapshot();
    }

    private synchronized void foldLocked(String topic, String key, byte[] value, Decoder<EdgeMetrics> edges,
            Decoder<Decision> decisions, Decoder<BurnRateAlert> alerts, Decoder<IssuedCertificate> certs,
            Decoder<CanaryStatus> canaries) {
        fold(topic, key, value, edges, decisions, alerts, certs, canaries);
    }

    private interface Decoder<T> {
        T decode(String topic, byte[] value);
    }

    private void fold(String topic, String key, byte[] value, Decoder<EdgeMetrics> edges,
            Decoder<Decision> decisions, Decoder<BurnRateAlert> alerts, Decoder<IssuedCertificate> certs,
            Decoder<CanaryStatus> canaries) {
        try {
            if (topic.equals(topics.edges().name())) {
                if (value != null) {
                    view.edge(edges.decode(topic, value));
                }
            } else if (topic.equals(topics.decisions().name())) {
                view.decision(key, value == null ? null : decisions.decode(topic, value));
            } else if (topic.equals(topics.alerts().name())) {
                view.alert(key, value == null ? null : alerts.decode(topic, value));
            } else if (topic.equals(topics.certIssued().name())) {
                view.certificate(key, value == null ? null : certs.decode(topic, value));
            } else if (topic.equals(topics.policy().name())) {
                view.policy(key, value == null ? null : MeshSerdes.policyEvent().deserialize(topic, value));
            } else if (topic.equals(topics.canaryStatus().name())) {
                view.canary(key, value == null ? null : canaries.decode(topic, value));
            }
        } catch (RuntimeException e) {
            LOGGER.atDebug().addKeyValue("topic", topic).addKeyValue("error", e.getMessage())
                    .log("live view skipped a record");
        }
    }

    private void draw() {
        var frame = renderer.render(snapshot());
        if (redraw) {
            out.print("\033[H\033[2J");
        }
        out.print(frame);
        out.flush();
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
