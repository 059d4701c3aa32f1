package io.meshlog.proxy.ratelimit;

import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The mesh's {@link GlobalRateCounter}: one Hazelcast map per global limit ({@code
 * meshlog.ratelimit.<policy key>}), proxy id to its demand, each entry with a TTL so a proxy that
 * stops publishing drops out of the others' sums. Only built-in map operations are used (no entry
 * processors), so a plain Hazelcast cluster without meshlog classes serves it.
 *
 * <p>Blocking; called only from the refresher thread. While Hazelcast cannot be reached a call
 * throws (or hangs until the client's invocation timeout), and the limits' failure mode applies.
 */
public final class HazelcastGlobalRateCounter implements GlobalRateCounter {
    /** Prefix of the maps' names. */
    public static final String MAP_PREFIX = "meshlog.ratelimit.";

    private final HazelcastInstance hazelcast;
    private final long ttlMillis;

    /**
     * @param hazelcast a running member or client, not shut down by this counter
     * @param ttl how long a published demand counts
     */
    public HazelcastGlobalRateCounter(HazelcastInstance hazelcast, Duration ttl) {
        this.hazelcast = hazelcast;
        this.ttlMillis = ttl.toMillis();
    }

    @Override
    public Map<String, Double> exchange(String key, String proxyId, double demandPerSecond) {
        var map = hazelcast.<String, Double>getMap(MAP_PREFIX + key);
        map.set(proxyId, demandPerSecond, ttlMillis, TimeUnit.MILLISECONDS);
        var result = new HashMap<String, Double>();
        for (var entry : map.entrySet()) {
            result.put(entry.getKey(), entry.getValue());
        }
        return result;
    }
}
