package io.meshlog.proxy.telemetry;

import io.meshlog.proxy.config.ConfigException;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Settings of {@link KafkaTelemetrySink}. Every bound is explicit so that a dead broker costs a
 * fixed amount of memory and a count of dropped events, never a blocked request.
 *
 * @param kafka client settings passed through to the producer ({@code bootstrap.servers},
 *     security, ...); the settings this sink owns (acks, idempotence, serializers and the ones
 *     below) are set after them and win
 * @param topic the telemetry topic, {@code mesh.telemetry.requests.v1} with the catalogue's prefix
 * @param queueCapacity events waiting for the producer; more are dropped and counted
 * @param linger how long the producer waits to fill a batch ({@code linger.ms})
 * @param compression {@code lz4}, {@code zstd}, {@code snappy}, {@code gzip} or {@code none}
 * @param bufferMemoryBytes the producer's own record buffer ({@code buffer.memory})
 * @param maxBlock how long one send may wait for metadata or buffer space ({@code max.block.ms});
 *     only the sink's background thread ever waits
 * @param deliveryTimeout how long a record may wait for the broker before it is dropped and
 *     counted ({@code delivery.timeout.ms})
 * @param closeTimeout how long {@code close()} may take to flush
 * @param clock paces the warnings about dropped events
 */
public record KafkaTelemetryConfig(
        Map<String, Object> kafka,
        String topic,
        int queueCapacity,
        Duration linger,
        String compression,
        long bufferMemoryBytes,
        Duration maxBlock,
        Duration deliveryTimeout,
        Duration closeTimeout,
        Clock clock) {
    /** Events buffered before dropping: a few seconds of a busy proxy. */
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    public static final Duration DEFAULT_LINGER = Duration.ofMillis(20);
    public static final String DEFAULT_COMPRESSION = "lz4";
    public static final long DEFAULT_BUFFER_MEMORY_BYTES = 4L * 1024 * 1024;
    public static final Duration DEFAULT_MAX_BLOCK = Duration.ofMillis(250);
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private static final Set<String> COMPRESSIONS = Set.of("lz4", "zstd", "snappy", "gzip", "none");

    public KafkaTelemetryConfig {
        kafka = Map.copyOf(kafka);
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new ConfigException("telemetry.kafka.bootstrap.servers", "must be set");
        }
        if (topic == null || topic.isBlank()) {
            throw new ConfigException("telemetry.topic", "must be a topic name, but was " + topic);
        }
        require(queueCapacity >= 1, "telemetry.queueCapacity", "must be at least 1", queueCapacity);
        linger = linger == null ? DEFAULT_LINGER : linger;
        require(!linger.isNegative(), "telemetry.linger", "must not be negative", linger);
        compression = compression == null ? DEFAULT_COMPRESSION : compression.toLowerCase(Locale.ROOT);
        require(COMPRESSIONS.contains(compression), "telemetry.compression",
                "must be one of " + COMPRESSIONS, compression);
        require(bufferMemoryBytes >= 64 * 1024, "telemetry.bufferMemoryBytes",
                "must be at least 65536", bufferMemoryBytes);
        maxBlock = maxBlock == null ? DEFAULT_MAX_BLOCK : maxBlock;
        require(!maxBlock.isNegative(), "telemetry.maxBlock", "must not be negative", maxBlock);
        deliveryTimeout = deliveryTimeout == null ? DEFAULT_DELIVERY_TIMEOUT : deliveryTimeout;
        require(deliveryTimeout.compareTo(linger.plusSeconds(1)) >= 0, "telemetry.deliveryTimeout",
                "must be at least linger + 1s (" + linger.plusSeconds(1) + ")", deliveryTimeout);
        closeTimeout = closeTimeout == null ? DEFAULT_CLOSE_TIMEOUT : closeTimeout;
        require(!closeTimeout.isNegative(), "telemetry.closeTimeout", "must not be negative",
                closeTimeout);
        clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** Defaults for everything but where the broker and the topic are. */
    public static KafkaTelemetryConfig defaults(String bootstrapServers, String topic) {
        return new KafkaTelemetryConfig(Map.of("bootstrap.servers", bootstrapServers), topic,
                DEFAULT_QUEUE_CAPACITY, null, null, DEFAULT_BUFFER_MEMORY_BYTES, null, null, null,
                null);
    }

    /** The same settings with another queue capacity. */
    public KafkaTelemetryConfig withQueueCapacity(int capacity) {
        return new KafkaTelemetryConfig(kafka, topic, capacity, linger, compression,
                bufferMemoryBytes, maxBlock, deliveryTimeout, closeTimeout, clock);
    }

    /** The same settings with other producer bounds (tests shorten them). */
    public KafkaTelemetryConfig withBounds(
            long bufferMemory, Duration block, Duration delivery) {
        return new KafkaTelemetryConfig(kafka, topic, queueCapacity, linger, compression,
                bufferMemory, block, delivery, closeTimeout, clock);
    }

    private static void require(boolean ok, String path, String rule, Object actual) {
        if (!ok) {
            throw new ConfigException(path, rule + ", but was " + actual);
        }
    }
}
