package io.meshlog.proxy.http;

import io.meshlog.proxy.config.MirrorLimits;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The proxy-wide bound of shadows in flight, shared by every event loop: a copy that would pass it is
 * dropped instead of queued, so a slow mirror destination can never hold memory or connections
 * beyond it, nor touch the primary requests.
 */
public final class ShadowGate {
    private final MirrorLimits limits;
    private final AtomicInteger inFlight = new AtomicInteger();

    public ShadowGate(MirrorLimits limits) {
        this.limits = limits;
    }

    public MirrorLimits limits() {
        return limits;
    }

    /** Takes a slot; false when all are taken. */
    boolean tryAcquire() {
        while (true) {
            int now = inFlight.get();
            if (now >= limits.maxInFlight()) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void release() {
        inFlight.decrementAndGet();
    }

    /** Shadows in flight now (a gauge). */
    public int inFlight() {
        return inFlight.get();
    }
}
