package io.meshlog.policy.config;

import io.meshlog.policy.model.Durations;
import io.meshlog.policy.parse.YamlLimits;
import io.meshlog.schemas.auth.BearerToken;
import io.meshlog.schemas.topics.TopicCatalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Loads {@link PolicyServiceConfig} from an optional YAML file, then the environment (env wins):
 * {@code MESHLOG_HTTP_HOST}, {@code MESHLOG_HTTP_PORT}, {@code MESHLOG_KAFKA_BOOTSTRAP},
 * {@code MESHLOG_TOPIC_PREFIX}, {@code MESHLOG_WRITER_TOKEN}.
 *
 * <pre>
 * http: {host: 0.0.0.0, port: 8081}
 * kafka: {bootstrapServers: localhost:9092, topicPrefix: "", createTopics: true, client: {linger.ms: 0}}
 * auth: {protectReads: false, tokens: [{name: ci, token: "...", writer: true}]}
 * publishTimeout: 10s
 * proxyExpiry: 90s
 * </pre>
 */
public final class PolicyServiceConfigLoader {
    private PolicyServiceConfigLoader() {}

    private static BearerToken token(String name, String token, boolean writer) {
        try {
            return new BearerToken(name, token, writer);
        } catch (BearerToken.InvalidTokenException e) {
            throw new ConfigException("auth.tokens[" + name + "]." + e.field(), e.problem());
        }
    }

    public static PolicyServiceConfig load(Path file, Map<String, String> env) {
        var root = file == null ? Map.<String, Object>of() : read(file);
        var http = section(root, "http");
        var kafka = section(root, "kafka");
        var auth = section(root, "auth");
        var tokens = new ArrayList<BearerToken>();
        if (auth.get("tokens") instanceof List<?> list) {
            for (var item : list) {
                if (item instanceof Map<?, ?> token) {
                    tokens.add(token(String.valueOf(token.get("name")), String.valueOf(token.get("token")),
                            !Boolean.FALSE.equals(token.get("writer"))));
                }
            }
        }
        if (env.containsKey("MESHLOG_WRITER_TOKEN")) {
            tokens.add(token("env-writer", env.get("MESHLOG_WRITER_TOKEN"), true));
        }
        var port = env.getOrDefault("MESHLOG_HTTP_PORT", String.valueOf(http.getOrDefault("port", PolicyServiceConfig.DEFAULT_PORT)));
        var timeout = root.get("publishTimeout");
        var expiry = root.get("proxyExpiry");
        return new PolicyServiceConfig(
                env.getOrDefault("MESHLOG_HTTP_HOST", String.valueOf(http.getOrDefault("host", "127.0.0.1"))),
                parseInt(port, "http.port"),
                env.getOrDefault("MESHLOG_KAFKA_BOOTSTRAP", String.valueOf(kafka.getOrDefault("bootstrapServers", "localhost:9092"))),
                new TopicCatalogue(env.getOrDefault("MESHLOG_TOPIC_PREFIX", String.valueOf(kafka.getOrDefault("topicPrefix", "")))),
                tokens,
                Boolean.TRUE.equals(auth.get("protectReads")),
                timeout == null ? PolicyServiceConfig.DEFAULT_PUBLISH_TIMEOUT
                        : java.time.Duration.ofMillis(duration(String.valueOf(timeout), "publishTimeout")),
                YamlLimits.DEFAULT,
                new HashMap<>(section(kafka, "client")),
                !Boolean.FALSE.equals(kafka.get("createTopics")),
                expiry == null ? PolicyServiceConfig.DEFAULT_PROXY_EXPIRY
                        : java.time.Duration.ofMillis(duration(String.valueOf(expiry), "proxyExpiry")));
    }

    private static long duration(String text, String path) {
        try {
            return Durations.parseMillis(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path, e.getMessage());
        }
    }

    private static int parseInt(String text, String path) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(path, "must be a number, but was \"" + text + "\"");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> root, String name) {
        var value = root.get(name);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new ConfigException(name, "must be a mapping");
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path file) {
        try {
            var value = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromString(Files.readString(file));
            if (value == null) {
                return Map.of();
            }
            if (!(value instanceof Map<?, ?>)) {
                throw new ConfigException(file.toString(), "must be a YAML mapping");
            }
            return (Map<String, Object>) value;
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot be read: " + e.getMessage());
        }
    }
}
