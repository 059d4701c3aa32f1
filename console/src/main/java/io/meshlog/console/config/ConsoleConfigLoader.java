package io.meshlog.console.config;

import io.meshlog.schemas.auth.BearerToken;
import io.meshlog.schemas.topics.TopicCatalogue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's settings from the environment: {@code MESHLOG_CONSOLE_HOST},
 * {@code MESHLOG_CONSOLE_PORT}, {@code MESHLOG_KAFKA_BOOTSTRAP}, {@code MESHLOG_TOPIC_PREFIX},
 * {@code MESHLOG_CONSOLE_TOKEN} (a reader token), and Kafka consumer settings as
 * {@code MESHLOG_CONSOLE_KAFKA_<SETTING>} ({@code _} for {@code .}, e.g.
 * {@code MESHLOG_CONSOLE_KAFKA_SECURITY_PROTOCOL}).
 */
public final class ConsoleConfigLoader {
    private static final String KAFKA_PREFIX = "MESHLOG_CONSOLE_KAFKA_";

    private ConsoleConfigLoader() {}

    private static BearerToken readerToken(String token) {
        try {
            return new BearerToken("env-reader", token, false);
        } catch (BearerToken.InvalidTokenException e) {
            throw new ConfigException("MESHLOG_CONSOLE_TOKEN", e.problem());
        }
    }

    public static ConsoleConfig fromEnv(Map<String, String> env) {
        int port;
        var portText = env.getOrDefault("MESHLOG_CONSOLE_PORT", Integer.toString(ConsoleConfig.DEFAULT_PORT));
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new ConfigException("MESHLOG_CONSOLE_PORT", "must be a port number, but was '" + portText + "'");
        }
        var token = env.get("MESHLOG_CONSOLE_TOKEN");
        var kafka = new HashMap<String, Object>();
        env.forEach((k, v) -> {
            if (k.startsWith(KAFKA_PREFIX)) {
                kafka.put(k.substring(KAFKA_PREFIX.length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.'), v);
            }
        });
        return new ConsoleConfig(env.get("MESHLOG_CONSOLE_HOST"), port,
                env.getOrDefault("MESHLOG_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
                new TopicCatalogue(env.get("MESHLOG_TOPIC_PREFIX")),
                token == null ? List.of() : List.of(readerToken(token)), kafka);
    }
}
