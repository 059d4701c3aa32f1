package io.meshlog.proxy.bootstrap;

import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.proxy.discovery.EndpointDirectory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A fixed endpoint list (static bootstrap mode, tests). {@link #replace} swaps one service's list
 * and tells listeners, as a registry would.
 */
public final class StaticEndpointDirectory implements EndpointDirectory {
    private volatile Map<String, List<Endpoint>> byService;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    public StaticEndpointDirectory(List<Endpoint> endpoints) {
        var grouped = new HashMap<String, List<Endpoint>>();
        for (var endpoint : endpoints) {
            grouped.computeIfAbsent(endpoint.service(), s -> new ArrayList<>()).add(endpoint);
        }
        var frozen = new HashMap<String, List<Endpoint>>();
        grouped.forEach((service, list) -> frozen.put(service, List.copyOf(list)));
        byService = Map.copyOf(frozen);
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

    /** Replaces the endpoints of {@code service} (empty removes it) and notifies listeners. */
    public synchronized void replace(String service, List<Endpoint> endpoints) {
        var next = new HashMap<>(byService);
        if (endpoints.isEmpty()) {
            next.remove(service);
        } else {
            next.put(service, List.copyOf(endpoints));
        }
        byService = Map.copyOf(next);
        listeners.forEach(listener -> listener.accept(service));
    }
}
