package io.meshlog.proxy.resilience;

import io.meshlog.proxy.discovery.Endpoint;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live state of one endpoint: requests in flight and the local outlier tracker. Kept across
 * snapshot and directory changes for as long as the endpoint exists.
 */
public final class EndpointState {
    private final Endpoint endpoint;
    private final String address;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    final OutlierTracker outlier = new OutlierTracker();

    public EndpointState(Endpoint endpoint) {
        this.endpoint = endpoint;
        this.address = endpoint.address();
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** {@code host:port}. */
    public String address() {
        return address;
    }

    /** Requests in flight to this endpoint (least-request balancing reads it). */
    public int active() {
        return active.get();
    }

    public void started() {
        active.incrementAndGet();
        requests.incrementAndGet();
    }

    /** One request ended; {@code error} when it got a 5xx or no response. */
    public void finished(boolean error) {
        active.decrementAndGet();
        if (error) {
            errors.incrementAndGet();
        }
    }

    public long requests() {
        return requests.get();
    }

    public long errors() {
        return errors.get();
    }

    /**
     * Local outlier-detection state; written under its own monitor, read racily by /clusters. The
     * counters are volatile so that a success can see, without the lock, that there is nothing to reset.
     */
    static final class OutlierTracker {
        volatile int consecutive5xx;
        volatile int consecutiveGateway;
        int timesEjected;
        long lastEjectionEndMillis;
        volatile Ejection ejection;
    }
}
