package io.meshlog.proxy.resilience;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The endpoints one route destination (service + subset) may use, with the settings requests to it
 * run under (the subset's merged trafficPolicy), its circuit breaker and its round-robin position.
 * As in Envoy, where each subset is a cluster of its own, each subset has its own breaker.
 */
public final class Candidates {
    /** No endpoint at all (an unknown subset). */
    public static final Candidates NONE = new Candidates(List.of(), TrafficSettings.DEFAULT, new CircuitBreaker());

    private final List<EndpointState> endpoints;
    private final TrafficSettings traffic;
    private final CircuitBreaker breaker;
    private final AtomicInteger next = new AtomicInteger();

    /** With default settings and a breaker of its own (tests of the balancer). */
    public Candidates(List<EndpointState> endpoints, LbPolicy loadBalancer) {
        this(endpoints, TrafficSettings.DEFAULT.override(loadBalancer, null, null), new CircuitBreaker());
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

    int nextIndex() {
        return next.getAndIncrement() & Integer.MAX_VALUE;
    }
}
