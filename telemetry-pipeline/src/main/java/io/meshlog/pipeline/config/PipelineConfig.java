package io.meshlog.pipeline.config;

import io.meshlog.policy.model.MeshScope;
import io.meshlog.schemas.topics.TopicCatalogue;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Settings of one pipeline instance. Instances with the same {@code applicationId} share the
 * telemetry partitions (scale-out).
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param applicationId Kafka Streams application id (consumer group, internal topic prefix)
 * @param stateDir where Kafka Streams keeps local state
 * @param topics the mesh's topics (a prefix isolates tests)
 * @param metricsHost the address the Prometheus endpoint binds
 * @param metricsPort its port; 0 picks a free one
 * @param streams Kafka Streams settings passed through ({@code kafka.streams.} prefix removed)
 * @param rootNamespace the mesh root namespace: its DestinationRule with a mesh-wide host
 *     ({@code *.local}) sets outlier detection for every service without a rule of its own
 * @param parts the decision topologies this instance runs ({@code topologies}; default all)
 */
public record PipelineConfig(String bootstrapServers, String applicationId, Path stateDir,
        TopicCatalogue topics, String metricsHost, int metricsPort, Map<String, String> streams,
        String rootNamespace, Set<PipelinePart> parts) {
    /** The application id when none is given. */
    public static final String DEFAULT_APPLICATION_ID = "meshlog-pipeline";
    /** The Prometheus port when none is given. */
    public static final int DEFAULT_METRICS_PORT = 9464;
    /** The prefix of pass-through Kafka Streams settings. */
    public static final String STREAMS_PREFIX = "kafka.streams.";

    public PipelineConfig {
        ConfigException.require(bootstrapServers != null && !bootstrapServers.isBlank(),
                "bootstrap.servers", "must name at least one broker, but was " + bootstrapServers);
        ConfigException.require(applicationId != null && applicationId.matches("[A-Za-z0-9._-]+"),
                "application.id", "must be letters, digits, '.', '_' or '-', but was " + applicationId);
        ConfigException.require(stateDir != null, "state.dir", "must be set");
        ConfigException.require(topics != null, "topic.prefix", "must be set");
        ConfigException.require(metricsHost != null && !metricsHost.isBlank(), "metrics.host", "must be set");
        ConfigException.require(metricsPort >= 0 && metricsPort <= 65535, "metrics.port",
                "must be between 0 and 65535, but was " + metricsPort);
        streams = Map.copyOf(streams);
        ConfigException.require(rootNamespace != null && !rootNamespace.isBlank(), "mesh.root.namespace", "must be set");
        parts = parts == null ? EnumSet.allOf(PipelinePart.class) : Set.copyOf(parts);
        ConfigException.require(!parts.isEmpty(), "topologies", "must name at least one topology");
    }

    /** Every topology. */
    public PipelineConfig(String bootstrapServers, String applicationId, Path stateDir, TopicCatalogue topics,
            String metricsHost, int metricsPort, Map<String, String> streams, String rootNamespace) {
        this(bootstrapServers, applicationId, stateDir, topics, metricsHost, metricsPort, streams, rootNamespace, null);
    }

    /**
     * Reads {@code bootstrap.servers} (required), {@code application.id}, {@code state.dir},
     * {@code topic.prefix}, {@code metrics.host}, {@code metrics.port}, {@code mesh.root.namespace}
     * (default {@code meshlog-system}), {@code topologies} (default {@code all}, see {@link PipelinePart})
     * and every {@code kafka.streams.*} key.
     */
    public static PipelineConfig fromMap(Map<String, String> values) {
        var streams = new TreeMap<String, String>();
        values.forEach((k, v) -> {
            if (k.startsWith(STREAMS_PREFIX)) {
                streams.put(k.substring(STREAMS_PREFIX.length()), v);
            }
        });
        return new PipelineConfig(values.get("bootstrap.servers"),
                values.getOrDefault("application.id", DEFAULT_APPLICATION_ID),
                Path.of(values.getOrDefault("state.dir",
                        Path.of(System.getProperty("java.io.tmpdir"), "meshlog-pipeline").toString())),
                new TopicCatalogue(values.getOrDefault("topic.prefix", "")),
                values.getOrDefault("metrics.host", "0.0.0.0"),
                parsePort(values.getOrDefault("metrics.port", Integer.toString(DEFAULT_METRICS_PORT))),
                streams, values.getOrDefault("mesh.root.namespace", MeshScope.DEFAULT_ROOT_NAMESPACE),
                PipelinePart.parse(values.get("topologies")));
    }

    private static int parsePort(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("metrics.port", "must be a number, but was '" + value + "'");
        }
    }

    /**
     * Environment variables as config keys: {@code MESHLOG_PIPELINE_METRICS_PORT} →
     * {@code metrics.port}, {@code MESHLOG_PIPELINE_KAFKA_STREAMS_NUM_STREAM_THREADS} →
     * {@code kafka.streams.num.stream.threads}.
     */
    public static Map<String, String> fromEnvironment(Map<String, String> env) {
        var values = new HashMap<String, String>();
        env.forEach((k, v) -> {
            if (k.startsWith("MESHLOG_PIPELINE_")) {
                values.put(k.substring("MESHLOG_PIPELINE_".length()).toLowerCase(java.util.Locale.ROOT)
                        .replace('_', '.'), v);
            }
        });
        return values;
    }
}
