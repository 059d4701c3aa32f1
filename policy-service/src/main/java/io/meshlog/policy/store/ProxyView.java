package io.meshlog.policy.store;

import io.meshlog.schemas.v1.ConfigAck;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The last ConfigAck of every proxy, from {@code mesh.config.acks.v1}. */
public final class ProxyView {
    private final Map<String, ConfigAck> acks = new ConcurrentHashMap<>();

    /** Applies one record: an ack, or a tombstone (the proxy left). */
    public void apply(String proxyId, ConfigAck ack) {
        if (ack == null) {
            acks.remove(proxyId);
        } else {
            acks.put(proxyId, ack);
        }
    }

    /** Every known proxy, by id. */
    public List<ConfigAck> all() {
        return acks.values().stream().sorted(Comparator.comparing(ConfigAck::getProxyId)).toList();
    }
}
