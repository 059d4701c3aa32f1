package io.meshlog.proxy.discovery;

import io.meshlog.proxy.config.ConfigException;

import java.time.Duration;

/**
 * Settings of {@link HazelcastEndpointRegistry}.
 *
 * @param mapName the Hazelcast map holding every registration of the mesh
 * @param ttl how long a registration lives without a heartbeat: a crashed workload disappears
 *     this long after its last heartbeat (plus up to a second of expiry sweep)
 * @param heartbeatInterval how often a live workload renews its registration; at most a third of
 *     {@code ttl}, so two missed heartbeats do not drop a live workload
 */
public record DiscoveryConfig(String mapName, Duration ttl, Duration heartbeatInterval) {
    public static final String DEFAULT_MAP_NAME = "meshlog.endpoints";
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(15);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

    public DiscoveryConfig {
        mapName = mapName == null ? DEFAULT_MAP_NAME : mapName;
        if (mapName.isBlank()) {
            throw new ConfigException("discovery.mapName", "must be non-blank");
        }
        ttl = ttl == null ? DEFAULT_TTL : ttl;
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigException(
                    "discovery.ttl", "must be at least 1s (Hazelcast counts in seconds), but was " + ttl);
        }
        heartbeatInterval = heartbeatInterval == null ? DEFAULT_HEARTBEAT_INTERVAL : heartbeatInterval;
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()
                || heartbeatInterval.multipliedBy(3).compareTo(ttl) > 0) {
            throw new ConfigException("discovery.heartbeatInterval", "must be positive and at"
                    + " most a third of discovery.ttl (" + ttl + "), but was " + heartbeatInterval);
        }
    }

    /** Default map, TTL 15 s, heartbeat every 5 s. */
    public static DiscoveryConfig defaults() {
        return new DiscoveryConfig(null, null, null);
    }
}
