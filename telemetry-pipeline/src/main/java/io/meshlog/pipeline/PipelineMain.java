package io.meshlog.pipeline;

import io.meshlog.pipeline.config.ConfigException;
import io.meshlog.pipeline.config.PipelineConfig;
import io.meshlog.schemas.topics.TopicCreator;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one pipeline instance: {@code PipelineMain [pipeline.properties]}. Settings come from the
 * file, then from {@code MESHLOG_PIPELINE_*} environment variables (which win); see
 * {@link PipelineConfig#fromMap}. Creates missing topics, starts, and stops on SIGTERM.
 */
public final class PipelineMain {
    private static final Logger LOGGER = LoggerFactory.getLogger(PipelineMain.class);

    private PipelineMain() {}

    public static void main(String[] args) throws Exception {
        var config = PipelineConfig.fromMap(load(args.length > 0 ? Path.of(args[0]) : null, System.getenv()));
        ensureTopics(config, (short) Integer.parseInt(System.getenv().getOrDefault(
                "MESHLOG_PIPELINE_REPLICATION_FACTOR", "1")));
        var service = new PipelineService(config).start();
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "meshlog-pipeline-shutdown"));
        stopped.await();
    }

    /** File settings overlaid with the environment's. */
    static Map<String, String> load(Path file, Map<String, String> env) throws IOException {
        var values = new HashMap<String, String>();
        if (file != null) {
            var props = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                props.load(reader);
            }
            props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k).trim()));
        }
        values.putAll(PipelineConfig.fromEnvironment(env));
        return values;
    }

    /** Creates the topics the pipeline reads and writes when they are missing. */
    public static void ensureTopics(PipelineConfig config, short replicationFactor) {
        var topics = config.topics();
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            var created = new TopicCreator(admin, replicationFactor, Duration.ofSeconds(30)).ensure(List.of(
                    topics.telemetry(), topics.policy(), topics.decisions(), topics.alerts(), topics.edges(),
                    topics.deadLetters(), topics.configAcks(), topics.canaryStatus()));
            LOGGER.atInfo().addKeyValue("created", created).log("pipeline topics ready");
            checkTelemetryPartitions(admin, topics.telemetry());
        }
    }

    /**
     * Mesh-wide DestinationRules are multicast to as many partitions as the catalogue gives the
     * telemetry topic; a telemetry topic made with another count would leave some tasks without them.
     */
    private static void checkTelemetryPartitions(Admin admin, io.meshlog.schemas.topics.TopicSpec telemetry) {
        int actual;
        try {
            actual = admin.describeTopics(List.of(telemetry.name())).allTopicNames().get(30, java.util.concurrent.TimeUnit.SECONDS)
                    .get(telemetry.name()).partitions().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + telemetry.name(), e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot describe " + telemetry.name() + ": " + e.getMessage(), e);
        }
        if (actual != telemetry.partitions()) {
            throw new ConfigException("topic.prefix", "topic " + telemetry.name() + " has " + actual
                    + " partitions, but the pipeline is built for " + telemetry.partitions()
                    + " (mesh-wide DestinationRules reach that many): recreate it with " + telemetry.partitions());
        }
    }
}
