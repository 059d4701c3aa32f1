package io.meshlog.proxy.discovery;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh's endpoint registry in a Hazelcast map. This proxy registers its own workload with a
 * time-to-live and renews it with heartbeats, so a crashed workload disappears when its TTL runs
 * out; {@link #close()} deregisters at once. Every registration of the mesh reaches this proxy
 * through entry listeners and lands in a local immutable per-service view: {@link #endpoints}
 * reads a volatile field and never calls Hazelcast.
 *
 * <p>Threads: listener events arrive on Hazelcast's event threads and update the view under this
 * object's lock; heartbeats run on {@code meshlog-discovery-heartbeat}.
 */
public final class HazelcastEndpointRegistry implements EndpointDirectory {
    private static final Logger LOGGER = LoggerFactory.getLogger(HazelcastEndpointRegistry.class);
    private static final Comparator<Endpoint> BY_ADDRESS = Comparator.comparing(Endpoint::address);

    private final HazelcastInstance hazelcast;
    private final boolean ownsInstance;
    private final DiscoveryConfig config;
    private final Endpoint self;
    private final IMap<String, String> map;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService heartbeats;

    // Guarded by this: the registrations by key, and keys removed while the initial load ran.
    private final Map<String, Endpoint> byKey = new HashMap<>();
    private Set<String> removedDuringLoad = new HashSet<>();
    private volatile Map<String, List<Endpoint>> byService = Map.of();

    private UUID listenerId;
    private boolean heartbeatFailing;
    private volatile boolean closed;

    /**
     * @param hazelcast a running member or client; not shut down by {@link #close()}
     * @param config map name, TTL and heartbeat interval
     * @param self this proxy's own workload to register, or null to only watch
     */
    public HazelcastEndpointRegistry(HazelcastInstance hazelcast, DiscoveryConfig config, Endpoint self) {
        this(hazelcast, false, config, self);
    }

    private HazelcastEndpointRegistry(
            HazelcastInstance hazelcast, boolean ownsInstance, DiscoveryConfig config, Endpoint self) {
        this.hazelcast = hazelcast;
        this.ownsInstance = ownsInstance;
        this.config = config;
        this.self = self;
        this.map = hazelcast.getMap(config.mapName());
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "meshlog-discovery-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Connects to Hazelcast as {@code settings} say, then starts a registry that shuts that
     * instance down when it is closed.
     */
    public static HazelcastEndpointRegistry connect(
            HazelcastSettings settings, DiscoveryConfig config, Endpoint self) {
        var registry = new HazelcastEndpointRegistry(
                HazelcastConfigs.connect(settings), true, config, self);
        return registry.start();
    }

    /**
     * Starts watching the map (listener first, then the current content, so nothing is missed),
     * registers this proxy's workload and schedules its heartbeats. Blocks on Hazelcast: call it
     * at start-up, not on an event loop.
     */
    public HazelcastEndpointRegistry start() {
        listenerId = map.addEntryListener(new Listener(), true);
        loadCurrentEntries();
        if (self != null) {
            register();
            long interval = config.heartbeatInterval().toMillis();
            heartbeats.scheduleWithFixedDelay(this::heartbeat, interval, interval, TimeUnit.MILLISECONDS);
            LOGGER.atInfo().addKeyValue("destination", self.service())
                    .addKeyValue("endpoint", self.address())
                    .addKeyValue("ttl", config.ttl())
                    .log("workload registered");
        }
        return this;
    }

    private void loadCurrentEntries() {
        for (var entry : map.entrySet()) {
            List<String> changed;
            synchronized (this) {
                boolean known = byKey.containsKey(entry.getKey())
                        || removedDuringLoad.contains(entry.getKey());
                changed = known ? List.of() : upsert(entry.getKey(), entry.getValue());
            }
            notifyChanged(changed);
        }
        synchronized (this) {
            removedDuringLoad = null;
        }
    }

    private void register() {
        map.set(EndpointCodec.key(self), EndpointCodec.encode(self),
                config.ttl().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void heartbeat() {
        try {
            // Renew the TTL without rewriting the value (no update event for every watcher);
            // re-register if the entry is gone, e.g. after a network partition let it expire.
            if (!map.setTtl(EndpointCodec.key(self), config.ttl().toMillis(), TimeUnit.MILLISECONDS)) {
                register();
            }
            if (heartbeatFailing) {
                heartbeatFailing = false;
                LOGGER.atInfo().addKeyValue("endpoint", self.address()).log("heartbeats resumed");
            }
        } catch (RuntimeException e) {
            if (!heartbeatFailing) {
                heartbeatFailing = true;
                LOGGER.atWarn().addKeyValue("endpoint", self.address())
                        .addKeyValue("error", e.toString())
                        .log("registry heartbeat failed; retrying at every interval");
            }
        }
    }

    @Override
    public List<Endpoint> endpoints(String service) {
        return byService.getOrDefault(service, List.of());
    }

    @Override
    public Set<String> services() {
        return byService.keySet();
    }

    @Override
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Updates the view; returns the services whose endpoints changed. */
    private synchronized List<String> upsert(String key, String value) {
        Endpoint endpoint;
        try {
            endpoint = EndpointCodec.decode(value);
        } catch (IllegalArgumentException e) {
            LOGGER.atWarn().addKeyValue("endpoint", key).addKeyValue("error", e.getMessage())
                    .log("ignoring an unreadable registration");
            return List.of();
        }
        var previous = byKey.put(key, endpoint);
        if (endpoint.equals(previous)) {
            return List.of();
        }
        if (previous != null && !previous.service().equals(endpoint.service())) {
            rebuild(previous.service());
            rebuild(endpoint.service());
            return List.of(previous.service(), endpoint.service());
        }
        rebuild(endpoint.service());
        return List.of(endpoint.service());
    }

    /** Updates the view; returns the services whose endpoints changed. */
    private synchronized List<String> remove(String key) {
        if (removedDuringLoad != null) {
            removedDuringLoad.add(key);
        }
        var previous = byKey.remove(key);
        if (previous == null) {
            return List.of();
        }
        rebuild(previous.service());
        return List.of(previous.service());
    }

    private void rebuild(String service) {
        var endpoints = new ArrayList<Endpoint>();
        for (var endpoint : byKey.values()) {
            if (endpoint.service().equals(service)) {
                endpoints.add(endpoint);
            }
        }
        endpoints.sort(BY_ADDRESS);
        var next = new HashMap<>(byService);
        if (endpoints.isEmpty()) {
            next.remove(service);
        } else {
            next.put(service, List.copyOf(endpoints));
        }
        byService = Map.copyOf(next);
        LOGGER.atDebug().addKeyValue("destination", service)
                .addKeyValue("endpoints", endpoints.size()).log("endpoints changed");
    }

    /** Tells the listeners, outside the lock so a slow one cannot hold up the view. */
    private void notifyChanged(List<String> services) {
        for (var service : services) {
            for (var listener : listeners) {
                try {
                    listener.accept(service);
                } catch (RuntimeException e) {
                    LOGGER.atWarn().addKeyValue("destination", service)
                            .addKeyValue("error", e.toString()).log("endpoint change listener failed");
                }
            }
        }
    }

    /**
     * Stops heartbeats, deregisters this workload, stops watching, and shuts Hazelcast down if
     * this registry started it. Failures are logged: an unreachable cluster lets the TTL do it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        heartbeats.shutdownNow();
        try {
            if (self != null) {
                map.delete(EndpointCodec.key(self));
                LOGGER.atInfo().addKeyValue("endpoint", self.address()).log("workload deregistered");
            }
            if (listenerId != null) {
                map.removeEntryListener(listenerId);
            }
        } catch (RuntimeException e) {
            LOGGER.atWarn().addKeyValue("error", e.toString())
                    .log("could not deregister; the registration expires with its TTL");
        }
        if (ownsInstance) {
            hazelcast.shutdown();
        }
    }

    private final class Listener implements EntryAddedListener<String, String>,
            EntryUpdatedListener<String, String>, EntryRemovedListener<String, String>,
            EntryExpiredListener<String, String>, EntryEvictedListener<String, String> {
        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            notifyChanged(upsert(event.getKey(), event.getValue()));
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event) {
            notifyChanged(upsert(event.getKey(), event.getValue()));
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event) {
            notifyChanged(remove(event.getKey()));
        }

        @Override
        public void entryExpired(EntryEvent<String, String> event) {
            notifyChanged(remove(event.getKey()));
        }

        @Override
        public void entryEvicted(EntryEvent<String, String> event) {
            notifyChanged(remove(event.getKey()));
        }
    }
}
