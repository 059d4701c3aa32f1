package io.meshlog.dev;

import io.meshlog.pipeline.PipelineService;
import io.meshlog.pipeline.config.PipelineConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The Kafka Streams telemetry pipeline, state under the state directory. */
final class PipelineComponent implements DevComponent {
    private final Supplier<String> bootstrapServers;
    private final Path stateDirectory;
    private final int metricsPort;
    private PipelineService service;

    PipelineComponent(Supplier<String> bootstrapServers, Path stateDirectory, int metricsPort) {
        this.bootstrapServers = bootstrapServers;
        this.stateDirectory = stateDirectory;
        this.metricsPort = metricsPort;
    }

    @Override
    public String name() {
        return "telemetry-pipeline";
    }

    @Override
    public void start() {
        var config = PipelineConfig.fromMap(Map.of(
                "bootstrap.servers", bootstrapServers.get(),
                "state.dir", stateDirectory.toString(),
                "metrics.host", "127.0.0.1",
                "metrics.port", Integer.toString(metricsPort),
                // Dev wants decisions on screen in about a second, not at the 30 s default commit.
                "kafka.streams.commit.interval.ms", "200"));
        try {
            service = new PipelineService(config).start();
        } catch (RuntimeException e) {
            throw new DevStartException("cannot start the telemetry pipeline: " + e.getMessage(), e);
        }
    }

    String metricsUrl() {
        return "http://127.0.0.1:" + service.metricsPort() + "/metrics";
    }

    @Override
    public List<String> endpoints() {
        return List.of("pipeline metrics          " + metricsUrl());
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
        }
    }
}
