package io.meshlog.cert.config;

import io.meshlog.schemas.topics.TopicCatalogue;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Builds {@link CertServiceConfig} from environment variables (tests pass their own map):
 *
 * <pre>
 * MESHLOG_TRUST_DOMAIN       cluster.local
 * MESHLOG_CERT_STATE_DIR     ./cert-state
 * MESHLOG_CERT_LEAF_LIFETIME 24h
 * MESHLOG_TOPIC_PREFIX       ""
 * MESHLOG_KAFKA_BOOTSTRAP    127.0.0.1:9092
 * MESHLOG_CERT_ADMIN_PORT    -1 (off)
 * MESHLOG_CERT_ADMIN_TOKEN   (operator bearer token, required when the admin port is on)
 * MESHLOG_CERT_CA_CERT, MESHLOG_CERT_CA_KEY, MESHLOG_CERT_CA_CHAIN   (optional supplied CA)
 * </pre>
 */
public final class CertServiceConfigLoader {
    private CertServiceConfigLoader() {}

    public static CertServiceConfig fromEnv(Map<String, String> env) {
        var kafka = new HashMap<String, Object>();
        kafka.put("bootstrap.servers", env.getOrDefault("MESHLOG_KAFKA_BOOTSTRAP", "127.0.0.1:9092"));
        Optional<CertServiceConfig.SuppliedCa> supplied = Optional.empty();
        if (env.containsKey("MESHLOG_CERT_CA_CERT") || env.containsKey("MESHLOG_CERT_CA_KEY")) {
            supplied = Optional.of(new CertServiceConfig.SuppliedCa(
                    path(env, "MESHLOG_CERT_CA_CERT"), path(env, "MESHLOG_CERT_CA_KEY"),
                    Optional.ofNullable(path(env, "MESHLOG_CERT_CA_CHAIN"))));
        }
        return new CertServiceConfig(
                env.getOrDefault("MESHLOG_TRUST_DOMAIN", "cluster.local"),
                Path.of(env.getOrDefault("MESHLOG_CERT_STATE_DIR", "cert-state")),
                Durations.parse("MESHLOG_CERT_LEAF_LIFETIME",
                        env.getOrDefault("MESHLOG_CERT_LEAF_LIFETIME", "24h")),
                new TopicCatalogue(env.getOrDefault("MESHLOG_TOPIC_PREFIX", "")),
                kafka,
                (short) integer(env, "MESHLOG_KAFKA_REPLICATION_FACTOR", 1),
                integer(env, "MESHLOG_CERT_ADMIN_PORT", -1),
                env.get("MESHLOG_CERT_ADMIN_TOKEN"),
                supplied);
    }

    private static Path path(Map<String, String> env, String name) {
        var value = env.get(name);
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        var value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "must be an integer, but was '" + value + "'");
        }
    }
}
