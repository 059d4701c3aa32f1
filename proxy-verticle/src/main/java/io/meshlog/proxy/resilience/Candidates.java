package io.meshlog.proxy.resilience;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The endpoints one route destination (service + subset) may use, with the balancer that chooses
 * among them and its round-robin position.
 */
public final class Candidates {
    /** No endpoint at all (an unknown subset). */
    public static final Candidates NONE = new Candidates(List.of(), LbPolicy.ROUND_ROBIN);

    private final List<EndpointState> endpoints;
    private final LbPolicy loadBalancer;
    private final AtomicInteger next = new AtomicInteger();

    public Candidates(List<EndpointState> endpoints, LbPolicy loadBalancer) {
        this.endpoints = List.copyOf(endpoints);
        this.loadBalancer = loadBalancer;
    }

    public List<EndpointState> endpoints() {
        return endpoints;
    }

    public LbPolicy loadBalancer() {
        return loadBalancer;
    }

    int nextIndex() {
        return next.getAndIncrement() & Integer.MAX_VALUE;
    }
}
