package io.meshlog.proxy.resilience;

import java.time.Duration;
import java.time.Instant;

/**
 * One destination service's cluster-wide retry budget in one proxy: the pipeline's latest
 * decision, this proxy's share of it and its own traffic (see {@link ClusterRetryBudgets}).
 * Synchronized: the event loops of the proxy share it.
 */
final class ServiceBudget {
    /** A RetryBudgetState as applied here. */
    record Decision(long originalRequests, long remaining, boolean exhausted, long allowedRetries, Duration window,
            Instant decidedAt, Instant receivedAt) {}

    private LocalTraffic traffic;
    private Decision decision;
    private double share;
    private long spent;

    ServiceBudget(Duration window) {
        this.traffic = new LocalTraffic(window);
    }

    synchronized void recordOriginal(long nowMillis) {
        traffic.add(nowMillis, false);
    }

    synchronized void update(Decision next) {
        if (!next.window().equals(traffic.window())) {
            traffic = new LocalTraffic(next.window()); // buckets follow the window: counting starts over
        }
        decision = next;
        spent = 0;
        long mine = traffic.at(next.decidedAt().toEpochMilli()).originals();
        share = next.originalRequests() == 0 ? 0 : Math.min(1.0, (double) mine / next.originalRequests());
    }

    synchronized void clear() {
        decision = null;
    }

    synchronized boolean tryAcquireRetry(Instant now) {
        if (inForce(now)) {
            if (decision.exhausted() || left(now.toEpochMilli()) <= 0) {
                return false;
            }
            spent++;
        }
        traffic.add(now.toEpochMilli(), true);
        return true;
    }

    synchronized ClusterRetryBudgets.State state(Instant now) {
        if (!inForce(now)) {
            return null;
        }
        var d = decision;
        return new ClusterRetryBudgets.State(d.originalRequests(), d.remaining(), d.exhausted(), d.allowedRetries(),
                d.window(), d.decidedAt(), d.receivedAt(), share, spent,
                d.exhausted() ? 0 : Math.max(0, left(now.toEpochMilli())));
    }

    /** The retries this proxy may still make: the smaller of its share of remaining and of the allowance. */
    private long left(long nowMillis) {
        long ofRemaining = (long) Math.floor(share * decision.remaining()) - spent;
        long ofAllowance = (long) Math.floor(share * decision.allowedRetries()) - traffic.at(nowMillis).retries();
        return Math.min(ofRemaining, ofAllowance);
    }

    private boolean inForce(Instant now) {
        return decision != null && !decision.receivedAt()
                .plus(decision.window().multipliedBy(ClusterRetryBudgets.STALE_AFTER_WINDOWS)).isBefore(now);
    }
}
