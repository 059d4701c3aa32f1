package io.meshlog.proxy.ratelimit;

import java.util.Map;

/**
 * Where the proxies sharing a global limit meet: each publishes its recent demand and reads
 * everyone's. Implementations: {@link HazelcastGlobalRateCounter} (the mesh) and {@link
 * InMemoryGlobalRateCounter} (one process: a static proxy, unit tests).
 *
 * <p>Called only from the {@link GlobalRateLimits} refresher thread, never on the request path, so
 * it may block; it throws when the shared store cannot be reached.
 */
@FunctionalInterface
public interface GlobalRateCounter {
    /**
     * Publishes {@code proxyId}'s demand for the limit {@code key} and returns the demand of every
     * proxy that published one recently (this one included).
     *
     * @param demandPerSecond requests per second this proxy saw lately, admitted or not
     * @return proxy id to its demand, requests per second
     */
    Map<String, Double> exchange(String key, String proxyId, double demandPerSecond);

    /** Releases what the counter holds (not a Hazelcast instance it was given). */
    default void close() {}
}
