package io.meshlog.proxy.resilience;

import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Chooses the endpoint of one try: round robin, least request (power of two choices), random or
 * ring hash (the owner of the request key's point; a request without a key is balanced randomly,
 * as in Envoy), skipping ejected endpoints and, for a retry, the endpoint that just failed when
 * another is left (a ring walks on to the next point's owner, so a key keeps its fallback too).
 * Panic mode (Envoy's): when the healthy share falls below minHealthPercent, ejection is ignored.
 */
public final class EndpointPicker {
    private final EjectionSource ejections;
    private final IntUnaryOperator random;

    /** @param random returns a number in {@code [0, bound)} */
    public EndpointPicker(EjectionSource ejections, IntUnaryOperator random) {
        this.ejections = ejections;
        this.random = random;
    }

    /**
     * The endpoint to try, or null when none is usable (503 UH).
     *
     * @param exclude the endpoint of the previous try, or null
     */
    public EndpointState pick(String service, Candidates candidates, EndpointState exclude, int minHealthPercent) {
        return pick(service, candidates, exclude, minHealthPercent, NO_HASH);
    }

    /** No request key: a ring-hash destination balances such a request randomly. */
    public static final long NO_HASH = 0L;

    /**
     * As {@link #pick(String, Candidates, EndpointState, int)} with the request key's hash for a
     * ring-hash destination ({@link #NO_HASH} when the request has no key).
     */
    public EndpointState pick(String service, Candidates candidates, EndpointState exclude, int minHealthPercent, long hash) {
        return pick(service, candidates, exclude, minHealthPercent, hash, true);
    }

    /**
     * As above; with {@code skipEjected} false (OBSERVE mode) ejections are not applied, as in panic
     * mode: the caller asks {@link #ejected} whether the endpoint chosen would have been skipped.
     */
    public EndpointState pick(String service, Candidates candidates, EndpointState exclude, int minHealthPercent, long hash,
            boolean skipEjected) {
        var endpoints = candidates.endpoints();
        int size = endpoints.size();
        if (size == 0) {
            return null;
        }
        boolean panic = !skipEjected
                || minHealthPercent > 0 && healthy(service, endpoints) * 100 < minHealthPercent * size;
        var chosen = choose(service, candidates, exclude, panic, hash);
        if (chosen == null && exclude != null) {
            chosen = choose(service, candidates, null, panic, hash);
        }
        return chosen;
    }

    private EndpointState choose(String service, Candidates candidates, EndpointState exclude, boolean panic, long hash) {
        return switch (candidates.loadBalancer()) {
            case ROUND_ROBIN -> scanFrom(service, candidates.endpoints(), candidates.nextIndex(), exclude, panic);
            case RANDOM -> scanFrom(service, candidates.endpoints(), random.applyAsInt(candidates.endpoints().size()), exclude, panic);
            case LEAST_REQUEST -> leastOfTwo(service, candidates.endpoints(), exclude, panic);
            case RING_HASH -> hash == NO_HASH
                    ? scanFrom(service, candidates.endpoints(), random.applyAsInt(candidates.endpoints().size()), exclude, panic)
                    : onRing(service, candidates, hash, exclude, panic);
        };
    }

    /** The owner of the first point at or after {@code hash} that is usable, walking the ring once. */
    private EndpointState onRing(String service, Candidates candidates, long hash, EndpointState exclude, boolean panic) {
        var ring = candidates.ring();
        int start = ring.first(hash);
        if (start < 0) {
            return null;
        }
        var endpoints = candidates.endpoints();
        for (int i = 0; i < ring.size(); i++) {
            var endpoint = endpoints.get(ring.owner(start + i));
            if (usable(service, endpoint, exclude, panic)) {
                return endpoint;
            }
        }
        return null;
    }

    private EndpointState scanFrom(String service, List<EndpointState> endpoints, int start, EndpointState exclude, boolean panic) {
        int size = endpoints.size();
        for (int i = 0; i < size; i++) {
            var endpoint = endpoints.get((start + i) % size);
            if (usable(service, endpoint, exclude, panic)) {
                return endpoint;
            }
        }
        return null;
    }

    private EndpointState leastOfTwo(String service, List<EndpointState> endpoints, EndpointState exclude, boolean panic) {
        int size = endpoints.size();
        var first = scanFrom(service, endpoints, random.applyAsInt(size), exclude, panic);
        if (first == null || size == 1) {
            return first;
        }
        var second = scanFrom(service, endpoints, random.applyAsInt(size), exclude, panic);
        return second != null && second.active() < first.active() ? second : first;
    }

    private boolean usable(String service, EndpointState endpoint, EndpointState exclude, boolean panic) {
        return endpoint != exclude && (panic || ejections.ejection(service, endpoint) == null);
    }

    /** Whether {@code endpoint} of {@code service} is ejected now (locally or cluster-wide). */
    public boolean ejected(String service, EndpointState endpoint) {
        return ejections.ejection(service, endpoint) != null;
    }

    private int healthy(String service, List<EndpointState> endpoints) {
        int healthy = 0;
        for (int i = 0; i < endpoints.size(); i++) {
            if (ejections.ejection(service, endpoints.get(i)) == null) {
                healthy++;
            }
        }
        return healthy;
    }
}
