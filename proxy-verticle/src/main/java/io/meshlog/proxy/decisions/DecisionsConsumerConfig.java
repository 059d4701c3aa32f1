package io.meshlog.proxy.decisions;

import io.meshlog.proxy.config.ConfigException;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of {@link DecisionsConsumer}.
 *
 * @param kafka client settings passed to the consumer ({@code bootstrap.servers}, security, ...);
 *     deserializers, offsets and the isolation level are the consumer's own and win
 * @param topic the decisions topic, {@code mesh.decisions.v1} with the catalogue's prefix
 * @param pollTimeout how long one poll waits for records
 * @param minBackoff the first wait after a failure; doubles per failure
 * @param maxBackoff the longest wait between retries (they go on forever)
 */
public record DecisionsConsumerConfig(Map<String, Object> kafka, String topic, Duration pollTimeout,
        Duration minBackoff, Duration maxBackoff) {
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(200);
    public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(200);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);

    public DecisionsConsumerConfig {
        kafka = Map.copyOf(kafka);
        ConfigException.require(kafka.containsKey("bootstrap.servers"), "decisions.kafka.bootstrap.servers", "must be set");
        ConfigException.require(topic != null && !topic.isBlank(), "decisions.topic",
                "must be a topic name, but was " + topic);
        pollTimeout = positive(pollTimeout, DEFAULT_POLL_TIMEOUT, "decisions.pollTimeout");
        minBackoff = positive(minBackoff, DEFAULT_MIN_BACKOFF, "decisions.minBackoff");
        maxBackoff = positive(maxBackoff, DEFAULT_MAX_BACKOFF, "decisions.maxBackoff");
        ConfigException.require(maxBackoff.compareTo(minBackoff) >= 0, "decisions.maxBackoff",
                "must be at least minBackoff (" + minBackoff + "), but was " + maxBackoff);
    }

    /** Defaults for everything but where the broker and the topic are. */
    public static DecisionsConsumerConfig defaults(String bootstrapServers, String topic) {
        return new DecisionsConsumerConfig(Map.of("bootstrap.servers", bootstrapServers), topic, null, null, null);
    }

    private static Duration positive(Duration value, Duration fallback, String path) {
        var result = value == null ? fallback : value;
        ConfigException.require(!result.isNegative() && !result.isZero(), path,
                "must be a positive duration, but was " + result);
        return result;
    }
}
