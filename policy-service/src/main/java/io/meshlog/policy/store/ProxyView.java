package io.meshlog.policy.store;

import io.meshlog.schemas.v1.ConfigAck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last ConfigAck of every live proxy, from {@code mesh.config.acks.v1}. A proxy leaves the
 * view at once when it shuts down cleanly (its tombstone) and, when it crashed, once nothing came
 * from it for {@code expiry} (live proxies send their ack again every heartbeat). So neither
 * {@code meshctl status} nor {@code apply --wait} keeps waiting for a proxy that is gone.
 */
public final class ProxyView {
    private final Map<String, Seen> acks = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration expiry;

    public ProxyView(Clock clock, Duration expiry) {
        this.clock = clock;
        this.expiry = expiry;
    }

    /**
     * Applies one record: an ack, or a tombstone (the proxy left).
     *
     * @param seenAt the record's time: when the proxy sent it
     */
    public void apply(String proxyId, ConfigAck ack, Instant seenAt) {
        if (ack == null) {
            acks.remove(proxyId);
        } else {
            acks.put(proxyId, new Seen(ack, seenAt)); // one key, one partition: log order is the truth
        }
    }

    /** Every live proxy, by id; proxies silent for longer than the expiry are dropped. */
    public List<ConfigAck> all() {
        var oldest = clock.instant().minus(expiry);
        acks.values().removeIf(seen -> seen.at.isBefore(oldest));
        return acks.values().stream().map(Seen::ack).sorted(Comparator.comparing(ConfigAck::getProxyId)).toList();
    }

    private record Seen(ConfigAck ack, Instant at) {}
}
