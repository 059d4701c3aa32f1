package io.meshlog.proxy.resilience;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The endpoints one route destination (service + subset + port) may use, with the balancer that
 * chooses among them, its round-robin position and, for a consistent hash, its ring (built on
 * first use; the list never changes, a new endpoint set is a new {@code Candidates}).
 */
public final class Candidates {
    /** No endpoint at all (an unknown subset). */
    public static final Candidates NONE = new Candidates(List.of(), LbPolicy.ROUND_ROBIN);

    private final List<EndpointState> endpoints;
    private final LbPolicy loadBalancer;
    private final HashPolicy hashPolicy;
    private final AtomicInteger next = new AtomicInteger();
    private volatile HashRing ring;

    public Candidates(List<EndpointState> endpoints, LbPolicy loadBalancer) {
        this(endpoints, loadBalancer, null);
    }

    /** @param hashPolicy the consistent hash, or null for {@code loadBalancer} */
    public Candidates(List<EndpointState> endpoints, LbPolicy loadBalancer, HashPolicy hashPolicy) {
        this.endpoints = List.copyOf(endpoints);
        this.loadBalancer = loadBalancer;
        this.hashPolicy = hashPolicy;
    }

    public List<EndpointState> endpoints() {
        return endpoints;
    }

    public LbPolicy loadBalancer() {
        return loadBalancer;
    }

    /** The consistent hash the request's key is computed for, or null. */
    public HashPolicy hashPolicy() {
        return hashPolicy;
    }

    /** The same endpoints restricted to those registered for {@code servicePort}. */
    Candidates forPort(int servicePort) {
        var members = endpoints.stream().filter(e -> e.endpoint().servicePort() == servicePort).toList();
        return new Candidates(members, loadBalancer, hashPolicy);
    }

    HashRing ring() {
        var current = ring;
        if (current == null) {
            current = new HashRing(endpoints, hashPolicy == null ? HashPolicy.DEFAULT_MINIMUM_RING_SIZE : hashPolicy.minimumRingSize());
            ring = current; // a race builds the same ring twice, harmlessly
        }
        return current;
    }

    int nextIndex() {
        return next.getAndIncrement() & Integer.MAX_VALUE;
    }
}
