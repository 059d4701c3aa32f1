package io.meshlog.proxy.policy;

import io.meshlog.proxy.config.ConfigException;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of {@link PolicyLogConsumer}.
 *
 * @param kafka client settings passed to the consumer ({@code bootstrap.servers}, security, ...);
 *     the deserializers, offsets and isolation level are the consumer's own and win
 * @param topic the policy topic, {@code mesh.policy.v1} with the catalogue's prefix
 * @param pollTimeout how long one poll waits for records
 * @param apiTimeout how long a metadata or offset lookup may wait ({@code default.api.timeout.ms})
 * @param minBackoff the first wait after a failure; doubles per failure
 * @param maxBackoff the longest wait between retries (they go on forever)
 */
public record PolicyConsumerConfig(
        Map<String, Object> kafka,
        String topic,
        Duration pollTimeout,
        Duration apiTimeout,
        Duration minBackoff,
        Duration maxBackoff) {
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);
    public static final Duration DEFAULT_API_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(200);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

    public PolicyConsumerConfig {
        kafka = Map.copyOf(kafka);
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new ConfigException("policy.kafka.bootstrap.servers", "must be set");
        }
        if (topic == null || topic.isBlank()) {
            throw new ConfigException("policy.topic", "must be a topic name, but was " + topic);
        }
        pollTimeout = positive(pollTimeout, DEFAULT_POLL_TIMEOUT, "policy.pollTimeout");
        apiTimeout = positive(apiTimeout, DEFAULT_API_TIMEOUT, "policy.apiTimeout");
        minBackoff = positive(minBackoff, DEFAULT_MIN_BACKOFF, "policy.minBackoff");
        maxBackoff = positive(maxBackoff, DEFAULT_MAX_BACKOFF, "policy.maxBackoff");
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw new ConfigException("policy.maxBackoff", "must be at least minBackoff ("
                    + minBackoff + "), but was " + maxBackoff);
        }
    }

    /** Defaults for everything but where the broker and the topic are. */
    public static PolicyConsumerConfig defaults(String bootstrapServers, String topic) {
        return new PolicyConsumerConfig(Map.of("bootstrap.servers", bootstrapServers), topic,
                null, null, null, null);
    }

    private static Duration positive(Duration value, Duration fallback, String path) {
        var result = value == null ? fallback : value;
        if (result.isNegative() || result.isZero()) {
            throw new ConfigException(path, "must be a positive duration, but was " + result);
        }
        return result;
    }
}
