package io.meshlog.proxy.resilience;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local backstop against retry storms: concurrent retries may be at most 20% of active
 * requests, but 3 are always allowed (Envoy's retry budget defaults). One per destination service.
 */
public final class RetryBudget {
    public static final double RETRY_RATIO = 0.2;
    public static final int MIN_CONCURRENT_RETRIES = 3;

    private final AtomicInteger activeRequests = new AtomicInteger();
    private final AtomicInteger activeRetries = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();

    public void requestStarted() {
        activeRequests.incrementAndGet();
    }

    public void requestFinished() {
        activeRequests.decrementAndGet();
    }

    /** Takes a retry slot if the budget allows one; {@link #releaseRetry()} when that retry ends. */
    public boolean tryAcquireRetry() {
        while (true) {
            int current = activeRetries.get();
            int allowed = Math.max(MIN_CONCURRENT_RETRIES, (int) (activeRequests.get() * RETRY_RATIO));
            if (current >= allowed) {
                refused.incrementAndGet();
                return false;
            }
            if (activeRetries.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    public void releaseRetry() {
        activeRetries.decrementAndGet();
    }

    public int activeRequests() {
        return activeRequests.get();
    }

    public int activeRetries() {
        return activeRetries.get();
    }

    /** Retries refused so far. */
    public long refused() {
        return refused.get();
    }
}
