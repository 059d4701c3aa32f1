package io.meshlog.proxy.resilience;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The endpoints one route destination (service + subset + port) may use, with the settings requests
 * to it run under (the subset's merged trafficPolicy, its balancer included), its circuit breaker,
 * its round-robin position and, for a consistent hash, its ring (built on first use; the list never
 * changes, a new endpoint set is a new {@code Candidates}). As in Envoy, where each subset is a
 * cluster of its own, each subset has its own breaker.
 */
public final class Candidates {
    /** No endpoint at all (an unknown subset). */
    public static final Candidates NONE = new Candidates(List.of(), TrafficSettings.DEFAULT, new CircuitBreaker());

    private final List<EndpointState> endpoints;
    private final TrafficSettings traffic;
    private final CircuitBreaker breaker;
    private final AtomicInteger next = new AtomicInteger();
    private volatile HashRing ring;

    /** With default settings and a breaker of its own (tests of the balancer). */
    public Candidates(List<EndpointState> endpoints, LbPolicy loadBalancer) {
        this(endpoints, TrafficSettings.DEFAULT.override(loadBalancer, null, null), new CircuitBreaker());
    }

    /** With default settings, {@code loadBalancer} or the consistent hash, and a breaker of its own (tests). */
    public Candidates(List<EndpointState> endpoints, LbPolicy loadBalancer, HashPolicy hashPolicy) {
        this(endpoints, TrafficSettings.DEFAULT.override(loadBalancer, hashPolicy, null, null), new CircuitBreaker());
    }

    public Candidates(List<EndpointState> endpoints, TrafficSettings traffic, CircuitBreaker breaker) {
        this.endpoints = List.copyOf(endpoints);
        this.traffic = traffic;
        this.breaker = breaker;
    }

    public List<EndpointState> endpoints() {
        return endpoints;
    }

    public LbPolicy loadBalancer() {
        return traffic.loadBalancer();
    }

    /** The merged settings of this destination. */
    public TrafficSettings traffic() {
        return traffic;
    }

    /** The destination's circuit-breaker counters (kept across policy changes). */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /** The consistent hash the request's key is computed for, or null. */
    public HashPolicy hashPolicy() {
        return traffic.hashPolicy();
    }

    /** The same endpoints restricted to those registered for {@code servicePort}. */
    Candidates forPort(int servicePort) {
        var members = endpoints.stream().filter(e -> e.endpoint().servicePort() == servicePort).toList();
        return new Candidates(members, traffic, breaker);
    }

    HashRing ring() {
        var current = ring;
        if (current == null) {
            var hashPolicy = traffic.hashPolicy();
            current = new HashRing(endpoints, hashPolicy == null ? HashPolicy.DEFAULT_MINIMUM_RING_SIZE : hashPolicy.minimumRingSize());
            ring = current; // a race builds the same ring twice, harmlessly
        }
        return current;
    }

    int nextIndex() {
        return next.getAndIncrement() & Integer.MAX_VALUE;
    }
}
