package io.meshlog.kafka.embedded;

/**
 * A running Kafka cluster that meshlog can talk to: the embedded KRaft broker by default, or a
 * container for users who have Docker. The one place that knows how a broker is started.
 */
public interface KafkaBroker extends AutoCloseable {
    /** Starts the broker and waits until clients can use it. */
    void start();

    /** The {@code bootstrap.servers} value clients use. */
    String bootstrapServers();

    /** Whether {@link #start()} succeeded and {@link #close()} has not been called. */
    boolean isRunning();

    /** Stops the broker cleanly; data stays in its directory. Idempotent. */
    @Override
    void close();
}
