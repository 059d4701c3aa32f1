package io.meshlog.proxy.discovery;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.meshlog.policy.model.SidecarScope;
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
 * <p>A proxy scoped by an Istio Sidecar {@link #watch watches} only the registrations of its
 * in-scope services: its listener carries a {@link ScopePredicates predicate} that the members
 * evaluate, so the events and entries of other services never reach it.
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
    private final String selfNamespace;
    private final IMap<String, String> map;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService heartbeats;

    // Guarded by this: the registrations by key, and keys removed or added by events while a load ran.
    private final Map<String, Endpoint> byKey = new HashMap<>();
    private Set<String> removedDuringLoad;
    private Set<String> addedDuringLoad;
    private SidecarScope watched;
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
        this(hazelcast, false, config, self, "");
    }

    /**
     * @param selfNamespace the namespace of this proxy's workload, written into its registration so
     *     that proxies scoped to that namespace see it ("" when not known)
     */
    public HazelcastEndpointRegistry(HazelcastInstance hazelcast, DiscoveryConfig config, Endpoint self,
            String selfNamespace) {
        this(hazelcast, false, config, self, selfNamespace);
    }

    private HazelcastEndpointRegistry(HazelcastInstance hazelcast, boolean ownsInstance, DiscoveryConfig config,
            Endpoint self, String selfNamespace) {
        this.hazelcast = hazelcast;
        this.ownsInstance = ownsInstance;
        this.config = config;
        this.self = self;
        this.selfNamespace = selfNamespace == null ? "" : selfNamespace;
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
                HazelcastConfigs.connect(settings), true, config, self, "");
        return registry.start();
    }

    /**
     * Starts watching the map (listener first, then the current content, so nothing is missed),
     * registers this proxy's workload and schedules its heartbeats. Blocks on Hazelcast: call it
     * at start-up, not on an event loop.
     */
    public HazelcastEndpointRegistry start() {
        watch(SidecarScope.UNSCOPED);
        return startRegistering();
    }

    /**
     * Registers this proxy's workload and schedules its heartbeats, without watching the registry
     * (a proxy's view is a second registry that {@link #watch watches} its scope). Blocks on Hazelcast.
     */
    public HazelcastEndpointRegistry startRegistering() {
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

    /**
     * Watches the registrations of the services {@code scope} allows, and only those: a new
     * listener with the scope's predicate first, then the matching entries loaded (so nothing is
     * missed), then the registrations now out of scope dropped. Unscoped watches everything. A scope
     * equal to the watched one changes nothing. Blocks on Hazelcast; call it from one thread at a time.
     */
    public void watch(SidecarScope scope) {
        synchronized (this) {
            if (scope.equals(watched) || closed) {
                return;
            }
            watched = scope;
            removedDuringLoad = new HashSet<>();
            addedDuringLoad = new HashSet<>();
        }
        var previous = listenerId;
        var predicate = ScopePredicates.of(scope);
        listenerId = predicate == null ? map.addEntryListener(new Listener(), true)
                : map.addEntryListener(new Listener(), predicate, true);
        if (previous != null) {
            map.removeEntryListener(previous);
        }
        var current = predicate == null ? map.entrySet() : map.entrySet(predicate);
        var loaded = new HashSet<String>();
        for (var entry : current) {
            loaded.add(entry.getKey());
            List<String> changed;
            synchronized (this) {
                boolean known = addedDuringLoad.contains(entry.getKey()) || removedDuringLoad.contains(entry.getKey());
                changed = known ? List.of() : upsert(entry.getKey(), entry.getValue());
            }
            notifyChanged(changed);
        }
        List<String> dropped = new ArrayList<>();
        synchronized (this) {
            for (var key : new ArrayList<>(byKey.keySet())) {
                if (!loaded.contains(key) && !addedDuringLoad.contains(key)) {
                    dropped.addAll(remove(key));
                }
            }
            removedDuringLoad = null;
            addedDuringLoad = null;
        }
        notifyChanged(dropped);
        LOGGER.atInfo().addKeyValue("scope", scope).addKeyValue("registrations", loaded.size())
                .log("watching the registry");
    }

    private void register() {
        map.set(EndpointCodec.key(self), EndpointCodec.encode(self, selfNamespace),
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

    /** The map key of {@code endpoint}'s registration (for tools that register without a proxy, e.g. benches). */
    public static String key(Endpoint endpoint) {
        return EndpointCodec.key(endpoint);
    }

    /** The map value of {@code endpoint}'s registration by a workload of {@code namespace}. */
    public static String value(Endpoint endpoint, String namespace) {
        return EndpointCodec.encode(endpoint, namespace);
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
        if (addedDuringLoad != null) {
            addedDuringLoad.add(key);
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
