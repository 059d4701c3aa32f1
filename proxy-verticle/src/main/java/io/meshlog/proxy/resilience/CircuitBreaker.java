package io.meshlog.proxy.resilience;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Envoy's circuit-breaker counters of one destination service: requests in flight (against
 * http2MaxRequests) and requests waiting for a connection (against http1MaxPendingRequests). A
 * request over either limit is answered 503 UO at once.
 */
public final class CircuitBreaker {
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong overflows = new AtomicLong();

    /** Counts a request in flight unless that would exceed {@code limits.http2MaxRequests()}. */
    public boolean tryStartRequest(PoolLimits limits) {
        return tryIncrement(active, limits.http2MaxRequests());
    }

    /**
     * OBSERVE mode: counts a request in flight and waiting for a connection whatever the limits
     * (nothing overflows), and says whether both were within them (false: enforcement would have
     * answered 503 UO). Not counted in {@link #overflows()}.
     */
    public boolean startUnlimited(PoolLimits limits) {
        boolean requests = active.incrementAndGet() <= limits.http2MaxRequests();
        boolean pendingWithin = pending.incrementAndGet() <= limits.http1MaxPendingRequests();
        return requests && pendingWithin;
    }

    public void finishRequest() {
        active.decrementAndGet();
    }

    /** Counts a request waiting for a connection unless that would exceed the pending limit. */
    public boolean tryStartPending(PoolLimits limits) {
        return tryIncrement(pending, limits.http1MaxPendingRequests());
    }

    public void finishPending() {
        pending.decrementAndGet();
    }

    private boolean tryIncrement(AtomicInteger counter, int limit) {
        if (counter.incrementAndGet() > limit) {
            counter.decrementAndGet();
            overflows.incrementAndGet();
            return false;
        }
        return true;
    }

    public int active() {
        return active.get();
    }

    public int pending() {
        return pending.get();
    }

    public long overflows() {
        return overflows.get();
    }
}
