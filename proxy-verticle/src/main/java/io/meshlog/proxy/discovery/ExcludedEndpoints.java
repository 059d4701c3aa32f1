package io.meshlog.proxy.discovery;

import io.meshlog.schemas.v1.ExcludedWorkloadSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The endpoint directory as the request path sees it once the registry of excluded workloads is
 * applied: a service an {@code ExcludedWorkload} serves has the exclusion's endpoints (no sidecar
 * registers them) and every one of its endpoints without a SPIFFE id, so the upstream client calls
 * it in plaintext, as Istio's auto mTLS does for a workload without a sidecar. Other services are
 * the delegate's. Reads are lock-free: {@link #update} swaps one immutable map.
 */
public final class ExcludedEndpoints implements EndpointDirectory {
    private final EndpointDirectory delegate;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private volatile Map<String, List<Endpoint>> excluded = Map.of();

    public ExcludedEndpoints(EndpointDirectory delegate) {
        this.delegate = delegate;
    }

    /** Applies the current exclusions; tells the listeners about every service that changed. */
    public void update(Collection<ExcludedWorkloadSpec> specs) {
        var next = new HashMap<String, List<Endpoint>>();
        for (var spec : specs) {
            for (var service : spec.getServices()) {
                var list = next.computeIfAbsent(service, s -> new ArrayList<>());
                for (var address : spec.getEndpoints()) {
                    var colon = address.lastIndexOf(':');
                    list.add(new Endpoint(service, address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)),
                            Map.of("app", spec.getWorkload()), spec.getWorkload(), ""));
                }
            }
        }
        next.replaceAll((service, list) -> List.copyOf(list));
        var before = excluded;
        excluded = Map.copyOf(next);
        var changed = new HashSet<>(before.keySet());
        changed.addAll(next.keySet());
        changed.removeIf(service -> before.get(service) != null && before.get(service).equals(next.get(service)));
        changed.forEach(service -> listeners.forEach(listener -> listener.accept(service)));
    }

    /** Whether {@code service} is served by an excluded workload. */
    public boolean isExcluded(String service) {
        return excluded.containsKey(service);
    }

    @Override
    public List<Endpoint> endpoints(String service) {
        var own = excluded.get(service);
        if (own == null) {
            return delegate.endpoints(service);
        }
        var all = new ArrayList<>(own);
        for (var endpoint : delegate.endpoints(service)) {
            all.add(new Endpoint(endpoint.service(), endpoint.host(), endpoint.port(), endpoint.labels(),
                    endpoint.workload(), "", endpoint.servicePort()));
        }
        return List.copyOf(all);
    }

    @Override
    public Set<String> services() {
        var all = new HashSet<>(delegate.services());
        all.addAll(excluded.keySet());
        return all;
    }

    @Override
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
        delegate.onChange(listener);
    }
}
