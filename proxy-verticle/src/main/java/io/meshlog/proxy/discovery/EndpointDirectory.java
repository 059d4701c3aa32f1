package io.meshlog.proxy.discovery;

import java.util.List;
import java.util.function.Consumer;

/**
 * The proxy's local view of which endpoints each service has. The request path reads it (it must
 * be a cheap, non-blocking, in-memory lookup); implementations keep it current in the background:
 * a fixed list from a static bootstrap file, or a Hazelcast registry watched with entry listeners.
 */
public interface EndpointDirectory extends AutoCloseable {
    /** The endpoints of {@code service} right now; empty when none is known. Never blocks. */
    List<Endpoint> endpoints(String service);

    /** Every service with at least one endpoint. */
    java.util.Set<String> services();

    /**
     * Tells {@code listener} the name of a service whose endpoints changed, on a background
     * thread, after the view has been updated.
     */
    void onChange(Consumer<String> listener);

    @Override
    default void close() {}
}
