package io.meshlog.kafka.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the embedded KRaft broker.
 *
 * @param dataDirectory where the broker keeps its logs and metadata; reused on the next start
 * @param port the client (PLAINTEXT) port on 127.0.0.1; 0 picks a free one
 * @param controllerPort the KRaft controller port on 127.0.0.1; 0 picks a free one (only safe for
 *     a fresh data directory, since the controller's address is part of the quorum it formats)
 * @param startTimeout how long to wait for the broker to accept clients
 * @param overrides extra broker properties, applied last
 */
public record EmbeddedBrokerConfig(
        Path dataDirectory,
        int port,
        int controllerPort,
        Duration startTimeout,
        Map<String, String> overrides) {
    /** Kafka's usual client port, used by {@code meshlog dev}. */
    public static final int DEFAULT_PORT = 9092;
    /** The controller port {@code meshlog dev} uses. */
    public static final int DEFAULT_CONTROLLER_PORT = 9093;
    /** Start-up took 2-15 s in spikes on 2 cores: be generous. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);

    public EmbeddedBrokerConfig {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        requirePort(port, "port");
        requirePort(controllerPort, "controllerPort");
        startTimeout = startTimeout == null ? DEFAULT_START_TIMEOUT : startTimeout;
        overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
    }

    /** A broker on free ports in {@code dataDirectory}: what tests use. */
    public static EmbeddedBrokerConfig ephemeral(Path dataDirectory) {
        return new EmbeddedBrokerConfig(dataDirectory, 0, 0, DEFAULT_START_TIMEOUT, Map.of());
    }

    private static void requirePort(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be between 0 and 65535, but was " + port);
        }
    }
}
