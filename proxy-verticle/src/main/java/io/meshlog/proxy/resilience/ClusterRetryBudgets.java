package io.meshlog.proxy.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mesh-wide side of the retry budget: the telemetry pipeline's latest RetryBudgetState per
 * destination service, applied by the decisions consumer through {@link #update}, asked by the
 * {@link RetryExecutor} before every retry. A service with an exhausted budget gets no retries;
 * otherwise this proxy spends at most the {@code remaining} retries the pipeline last reported
 * (the pipeline sees this proxy's retries only after a delay, so a proxy never runs past it).
 * A state older than twice its window (the pipeline went quiet) no longer applies: the local
 * {@link RetryBudget} stays the backstop.
 */
public final class ClusterRetryBudgets {
    /** How many windows a state stays in force without a newer one. */
    static final int STALE_AFTER_WINDOWS = 2;

    private final Clock clock;
    private final Map<String, Entry> byService = new ConcurrentHashMap<>();

    /**
     * One service's cluster-wide budget as this proxy holds it.
     *
     * @param remaining retries the pipeline still allowed when it decided
     * @param exhausted whether it allowed none
     * @param allowedRetries the formula's allowance over the window
     * @param window the budget's sliding window (ttl)
     * @param receivedAt when this proxy applied the state
     * @param spent retries this proxy has made since
     */
    public record State(long remaining, boolean exhausted, long allowedRetries, Duration window, Instant receivedAt,
            long spent) {}

    private record Entry(State state, AtomicLong spent) {}

    public ClusterRetryBudgets(Clock clock) {
        this.clock = clock;
    }

    /** Replaces {@code service}'s state with the pipeline's newest decision; spending starts over. */
    public void update(String service, long remaining, boolean exhausted, long allowedRetries, Duration window) {
        byService.put(service, new Entry(new State(Math.max(0, remaining), exhausted, allowedRetries, window,
                clock.instant(), 0), new AtomicLong()));
    }

    /** Forgets {@code service}'s state (the decision was deleted). */
    public void clear(String service) {
        byService.remove(service);
    }

    /**
     * Takes one retry of {@code service}'s cluster-wide budget: false when it is exhausted or this
     * proxy has already spent what remained. Never blocks.
     */
    public boolean tryAcquireRetry(String service) {
        if (service == null || byService.isEmpty()) {
            return true;
        }
        var entry = byService.get(service);
        if (entry == null || stale(entry.state())) {
            return true;
        }
        if (entry.state().exhausted()) {
            return false;
        }
        while (true) {
            long spent = entry.spent().get();
            if (spent >= entry.state().remaining()) {
                return false;
            }
            if (entry.spent().compareAndSet(spent, spent + 1)) {
                return true;
            }
        }
    }

    /** The state in force for {@code service}, or null when there is none (or it is stale). */
    public State state(String service) {
        var entry = byService.get(service);
        if (entry == null || stale(entry.state())) {
            return null;
        }
        var state = entry.state();
        return new State(state.remaining(), state.exhausted(), state.allowedRetries(), state.window(),
                state.receivedAt(), entry.spent().get());
    }

    private boolean stale(State state) {
        var window = state.window().isZero() || state.window().isNegative() ? Duration.ofSeconds(10) : state.window();
        return state.receivedAt().plus(window.multipliedBy(STALE_AFTER_WINDOWS)).isBefore(clock.instant());
    }
}
