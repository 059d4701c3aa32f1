package io.meshlog.pipeline;

import io.meshlog.pipeline.config.PipelineConfig;
import io.meshlog.pipeline.config.StreamsSettings;
import io.meshlog.pipeline.export.MetricsHttpServer;
import io.meshlog.pipeline.export.PrometheusObserver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running pipeline instance: the Kafka Streams topology plus its Prometheus endpoint.
 * Start several with the same application id to share the work.
 */
public final class PipelineService implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(PipelineService.class);

    private final PipelineConfig config;
    private final PrometheusMeterRegistry registry;
    private final KafkaStreams streams;
    private MetricsHttpServer http;

    /** Builds the instance; nothing runs before {@link #start()}. */
    public PipelineService(PipelineConfig config) {
        this.config = config;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var observer = new PrometheusObserver(registry);
        Topology topology = PipelineTopology.build(config.topics(), observer, config.rootNamespace(), config.parts());
        this.streams = new KafkaStreams(topology, StreamsSettings.of(config, observer));
        streams.setUncaughtExceptionHandler(e -> {
            LOGGER.atError().setCause(e).addKeyValue("error", e.getMessage())
                    .log("stream thread died, replacing it");
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
                    .StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /** Starts the streams and the metrics endpoint. */
    public PipelineService start() {
        http = new MetricsHttpServer(config.metricsHost(), config.metricsPort(), registry, this::isRunning);
        streams.start();
        LOGGER.atInfo().addKeyValue("applicationId", config.applicationId())
                .addKeyValue("metricsPort", http.port()).log("pipeline started");
        return this;
    }

    /** Whether the streams are processing (RUNNING; not while rebalancing). */
    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** The input partitions this instance's active tasks own now (empty while rebalancing). */
    public Set<TopicPartition> activePartitions() {
        var owned = new HashSet<TopicPartition>();
        streams.metadataForLocalThreads().forEach(thread ->
                thread.activeTasks().forEach(task -> owned.addAll(task.topicPartitions())));
        return owned;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The port of the Prometheus endpoint (after {@link #start()}). */
    public int metricsPort() {
        return http.port();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Stops the streams (committing, within 30 s) and the endpoint. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** Stops the streams, waiting at most {@code timeout}, and the endpoint. */
    public void close(Duration timeout) {
        streams.close(timeout);
        if (http != null) {
            http.close();
        }
        registry.close();
        LOGGER.atInfo().addKeyValue("applicationId", config.applicationId()).log("pipeline stopped");
    }
}
