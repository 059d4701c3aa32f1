package io.meshlog.proxy.resilience;

import io.meshlog.proxy.discovery.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One destination service at run time: its endpoints' live state, the candidate lists per subset
 * (rebuilt when the endpoints or the DestinationRule change, reused otherwise), a circuit breaker
 * per subset (and one for requests without a subset, as Envoy has a cluster per subset) and its
 * retry budget.
 */
public final class Cluster {
    private final String service;
    private final CircuitBreaker breaker = new CircuitBreaker();
    private final Map<String, CircuitBreaker> subsetBreakers = new java.util.concurrent.ConcurrentHashMap<>();
    private final RetryBudget retryBudget = new RetryBudget();
    private volatile View view;

    private record View(ClusterPolicy policy, List<EndpointState> all, Map<String, Candidates> subsets, Candidates everyone,
            Map<PortKey, Candidates> byPort) {}

    private record PortKey(String subset, int port) {}

    public Cluster(String service, List<Endpoint> endpoints) {
        this.service = service;
        this.view = build(ClusterPolicy.defaults(service), states(endpoints, Map.of()));
    }

    public String service() {
        return service;
    }

    /** The breaker of requests without a subset. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /** The breakers of the subsets the rules have defined so far, by subset name (kept across rule changes). */
    public Map<String, CircuitBreaker> subsetBreakers() {
        return java.util.Collections.unmodifiableMap(subsetBreakers);
    }

    public RetryBudget retryBudget() {
        return retryBudget;
    }

    /** Every endpoint of the service. */
    public List<EndpointState> endpoints() {
        return view.all();
    }

    /**
     * The endpoints of {@code subset} (null: all) under {@code policy}; an unknown subset has
     * none, as in Istio (503 UH).
     */
    public Candidates candidates(String subset, ClusterPolicy policy) {
        return candidates(current(policy), subset);
    }

    /**
     * As {@link #candidates(String, ClusterPolicy)}, restricted to the endpoints registered for
     * service port {@code port} (Istio's destination.port; 0: every port). None → 503 UH.
     */
    public Candidates candidates(String subset, int port, ClusterPolicy policy) {
        var current = current(policy);
        if (port == 0) {
            return candidates(current, subset);
        }
        var key = new PortKey(subset, port);
        var cached = current.byPort().get(key);
        return cached != null ? cached : current.byPort().computeIfAbsent(key, k -> candidates(current, subset).forPort(port));
    }

    private View current(ClusterPolicy policy) {
        var current = view;
        return current.policy() != policy ? rebuild(policy) : current;
    }

    private static Candidates candidates(View current, String subset) {
        if (subset == null) {
            return current.everyone();
        }
        var candidates = current.subsets().get(subset);
        return candidates != null ? candidates : Candidates.NONE;
    }

    /** Replaces the endpoint list, keeping the state of endpoints that stay. */
    public synchronized void updateEndpoints(List<Endpoint> endpoints) {
        var byAddress = new HashMap<String, EndpointState>();
        for (var state : view.all()) {
            byAddress.put(state.address(), state);
        }
        view = build(view.policy(), states(endpoints, byAddress));
    }

    private synchronized View rebuild(ClusterPolicy policy) {
        if (view.policy() != policy) {
            view = build(policy, view.all());
        }
        return view;
    }

    private static List<EndpointState> states(List<Endpoint> endpoints, Map<String, EndpointState> existing) {
        var states = new ArrayList<EndpointState>(endpoints.size());
        for (var endpoint : endpoints) {
            var old = existing.get(endpoint.address());
            states.add(old != null && old.endpoint().equals(endpoint) ? old : new EndpointState(endpoint));
        }
        return List.copyOf(states);
    }

    private View build(ClusterPolicy policy, List<EndpointState> all) {
        var subsets = new HashMap<String, Candidates>();
        for (var subset : policy.subsets().values()) {
            var members = all.stream().filter(s -> subset.selects(s.endpoint().labels())).toList();
            var subsetBreaker = subsetBreakers.computeIfAbsent(subset.name(), name -> new CircuitBreaker());
            subsets.put(subset.name(), new Candidates(members, subset.traffic(), subsetBreaker));
        }
        return new View(policy, all, Map.copyOf(subsets), new Candidates(all, policy.traffic(), breaker),
                new ConcurrentHashMap<>());
    }
}
