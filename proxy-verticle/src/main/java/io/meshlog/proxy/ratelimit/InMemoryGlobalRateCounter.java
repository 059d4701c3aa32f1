package io.meshlog.proxy.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link GlobalRateCounter} inside one process: the proxies sharing it share the limit. A static
 * proxy (no Hazelcast) uses its own, so it alone holds the whole global limit; unit tests give one
 * to several simulated proxies. Demand older than {@code ttl} no longer counts, as in Hazelcast.
 */
public final class InMemoryGlobalRateCounter implements GlobalRateCounter {
    private final Clock clock;
    private final long ttlMillis;
    private final Map<String, Map<String, Demand>> limits = new ConcurrentHashMap<>();

    private record Demand(double perSecond, long expiresAtMillis) {}

    public InMemoryGlobalRateCounter(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttlMillis = ttl.toMillis();
    }

    @Override
    public Map<String, Double> exchange(String key, String proxyId, double demandPerSecond) {
        long now = clock.millis();
        var table = limits.computeIfAbsent(key, k -> new ConcurrentHashMap<>());
        table.put(proxyId, new Demand(demandPerSecond, now + ttlMillis));
        table.values().removeIf(d -> d.expiresAtMillis() <= now);
        var result = new HashMap<String, Double>();
        table.forEach((proxy, demand) -> result.put(proxy, demand.perSecond()));
        return result;
    }
}
