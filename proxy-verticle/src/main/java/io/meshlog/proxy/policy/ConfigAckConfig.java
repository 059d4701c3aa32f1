package io.meshlog.proxy.policy;

import io.meshlog.proxy.config.ConfigException;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of {@link ConfigAckPublisher}.
 *
 * @param kafka client settings passed to the producer ({@code bootstrap.servers}, security, ...);
 *     acks, idempotence and serializers are the publisher's own and win
 * @param topic the ack topic, {@code mesh.config.acks.v1} with the catalogue's prefix
 * @param proxyId this proxy's id, the record key (the topic is compacted: one ack per proxy)
 * @param workload the workload this proxy stands beside
 * @param namespace that workload's namespace
 * @param closeTimeout how long close() may take to flush the last ack
 * @param clock stamps {@code appliedAt}
 */
public record ConfigAckConfig(
        Map<String, Object> kafka,
        String topic,
        String proxyId,
        String workload,
        String namespace,
        Duration closeTimeout,
        Clock clock) {
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    public ConfigAckConfig {
        kafka = Map.copyOf(kafka);
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new ConfigException("configAck.kafka.bootstrap.servers", "must be set");
        }
        requireText(topic, "configAck.topic");
        requireText(proxyId, "proxyId");
        requireText(workload, "workload");
        requireText(namespace, "namespace");
        closeTimeout = closeTimeout == null ? DEFAULT_CLOSE_TIMEOUT : closeTimeout;
        if (closeTimeout.isNegative()) {
            throw new ConfigException("configAck.closeTimeout", "must not be negative, but was "
                    + closeTimeout);
        }
        clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** Defaults for the close timeout and the clock. */
    public static ConfigAckConfig of(
            String bootstrapServers, String topic, String proxyId, String workload, String namespace) {
        return new ConfigAckConfig(Map.of("bootstrap.servers", bootstrapServers), topic, proxyId,
                workload, namespace, null, null);
    }

    private static void requireText(String value, String path) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(path, "must be non-blank, but was '" + value + "'");
        }
    }
}
