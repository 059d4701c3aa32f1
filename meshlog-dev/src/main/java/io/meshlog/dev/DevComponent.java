package io.meshlog.dev;

import java.util.List;

/**
 * One part of the embedded mesh (the broker, the topics, a service, the demo). Started in order,
 * stopped in reverse order.
 */
interface DevComponent extends AutoCloseable {
    /** Short name for the start-up log, e.g. "kafka". */
    String name();

    /** Starts the component; throws {@link DevStartException} with a user-facing message. */
    void start();

    /** Lines for the "what runs where" table, e.g. "kafka  127.0.0.1:9092". */
    List<String> endpoints();

    /** Stops the component; must not throw. */
    @Override
    void close();
}
