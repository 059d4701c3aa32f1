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
 * @param closeTimeout how long close() may take to flush the last ack and the leave tombstone
 * @param heartbeat how often the last ack is sent again while nothing changes, so the control
 *     plane can tell a live proxy from one that crashed (zero: never)
 * @param clock stamps {@code appliedAt} and each record's time
 */
public record ConfigAckConfig(
        Map<String, Object> kafka,
        String topic,
        String proxyId,
        String workload,
        String namespace,
        Duration closeTimeout,
        Duration heartbeat,
        Clock clock) {
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** A third of policy-service's default proxy expiry (90 s): two lost heartbeats are tolerated. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(30);

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
        heartbeat = heartbeat == null ? DEFAULT_HEARTBEAT : heartbeat;
        if (heartbeat.isNegative()) {
            throw new ConfigException("configAck.heartbeat", "must not be negative, but was " + heartbeat);
        }
        clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** Defaults for the close timeout, the heartbeat and the clock. */
    public static ConfigAckConfig of(
            String bootstrapServers, String topic, String proxyId, String workload, String namespace) {
        return new ConfigAckConfig(Map.of("bootstrap.servers", bootstrapServers), topic, proxyId,
                workload, namespace, null, null, null);
    }

    private static void requireText(String value, String path) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(path, "must be non-blank, but was '" + value + "'");
        }
    }
}
