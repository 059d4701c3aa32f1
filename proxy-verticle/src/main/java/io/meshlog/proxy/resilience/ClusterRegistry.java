package io.meshlog.proxy.resilience;

import io.meshlog.proxy.discovery.EndpointDirectory;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every destination service this proxy has sent to, with live endpoint state; endpoint changes
 * from the {@link EndpointDirectory} are applied in the background.
 */
public final class ClusterRegistry {
    private final EndpointDirectory directory;
    private final Map<String, Cluster> clusters = new ConcurrentHashMap<>();

    public ClusterRegistry(EndpointDirectory directory) {
        this.directory = directory;
        directory.onChange(this::refresh);
        for (var service : directory.services()) {
            cluster(service);
        }
    }

    /** The cluster of {@code service}, made on first use. */
    public Cluster cluster(String service) {
        var cluster = clusters.get(service);
        return cluster != null ? cluster : clusters.computeIfAbsent(service, s -> new Cluster(s, directory.endpoints(s)));
    }

    /** Whether {@code service} has endpoints or has been routed to. */
    public boolean knows(String service) {
        return clusters.containsKey(service) || !directory.endpoints(service).isEmpty();
    }

    public Collection<Cluster> all() {
        return clusters.values();
    }

    private void refresh(String service) {
        var cluster = clusters.get(service);
        if (cluster != null) {
            cluster.updateEndpoints(directory.endpoints(service));
        } else {
            cluster(service);
        }
    }
}
