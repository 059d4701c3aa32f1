package io.meshlog.proxy.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mesh-wide side of the retry budget: the telemetry pipeline's latest RetryBudgetState per
 * destination service, applied by the decisions consumer through {@link #update}, asked by the
 * {@link RetryExecutor} before every retry. A service with an exhausted budget gets no retries.
 *
 * <p>Otherwise every caller of the service spends only its <em>share</em> of the budget, so that
 * all callers together stay within it: the share is this proxy's original requests in the
 * pipeline's window as it stood when it decided, divided by the {@code originalRequests} the
 * pipeline counted there from all callers. A proxy may then retry while both hold:
 * <ul>
 *   <li>its retries since the decision are fewer than {@code share × remaining};
 *   <li>its retries in the window (counted here, so none are missed while the pipeline has not
 *       seen them yet) are fewer than {@code share × allowedRetries}.
 * </ul>
 * Both are rounded down, so the shares never add up to more than the budget. A state older than
 * twice its window (the pipeline went quiet) no longer applies: the local {@link RetryBudget}
 * stays the backstop.
 */
public final class ClusterRetryBudgets {
    /** How many windows a state stays in force without a newer one. */
    static final int STALE_AFTER_WINDOWS = 2;
    /** The window assumed before the pipeline has said (its default ttl). */
    static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

    private final Clock clock;
    private final Map<String, ServiceBudget> byService = new ConcurrentHashMap<>();

    /**
     * One service's cluster-wide budget as this proxy holds it.
     *
     * @param originalRequests originals the pipeline counted from all callers in its window
     * @param remaining retries the pipeline still allowed when it decided
     * @param exhausted whether it allowed none
     * @param allowedRetries the formula's allowance over the window
     * @param window the budget's sliding window (ttl)
     * @param decidedAt the event time the pipeline decided at
     * @param receivedAt when this proxy applied the state
     * @param share this proxy's part of the originals, 0 to 1
     * @param spent retries this proxy has made since the state arrived
     * @param left retries this proxy may still make now (0 when exhausted)
     */
    public record State(long originalRequests, long remaining, boolean exhausted, long allowedRetries,
            Duration window, Instant decidedAt, Instant receivedAt, double share, long spent, long left) {}

    public ClusterRetryBudgets(Clock clock) {
        this.clock = clock;
    }

    /**
     * Replaces {@code service}'s state with the pipeline's newest decision; this proxy's share is
     * worked out from its own originals up to {@code decidedAt}, and spending starts over.
     */
    public void update(String service, long originalRequests, long remaining, boolean exhausted, long allowedRetries,
            Duration window, Instant decidedAt) {
        var ttl = window == null || window.isZero() || window.isNegative() ? DEFAULT_WINDOW : window;
        budget(service).update(new ServiceBudget.Decision(Math.max(0, originalRequests), Math.max(0, remaining),
                exhausted, allowedRetries, ttl, decidedAt != null ? decidedAt : clock.instant(), clock.instant()));
    }

    /** Forgets {@code service}'s state (the decision was deleted). */
    public void clear(String service) {
        var budget = byService.get(service);
        if (budget != null) {
            budget.clear();
        }
    }

    /** Counts one original request of this proxy to {@code service} (the first try of a request). */
    public void recordOriginal(String service) {
        if (service != null) {
            budget(service).recordOriginal(clock.millis());
        }
    }

    /**
     * Takes one retry of {@code service}'s cluster-wide budget: false when it is exhausted or this
     * proxy has spent its share. Never blocks for long (one short lock per service).
     */
    public boolean tryAcquireRetry(String service) {
        if (service == null) {
            return true;
        }
        return budget(service).tryAcquireRetry(clock.instant());
    }

    /** The state in force for {@code service}, or null when there is none (or it is stale). */
    public State state(String service) {
        var budget = byService.get(service);
        return budget == null ? null : budget.state(clock.instant());
    }

    private ServiceBudget budget(String service) {
        var budget = byService.get(service);
        return budget != null ? budget : byService.computeIfAbsent(service, s -> new ServiceBudget(DEFAULT_WINDOW));
    }
}
