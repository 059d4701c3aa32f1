package io.meshlog.proxy.resilience;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Runs the tries of one request: retries what the route's {@link RetryPolicy} says is retriable,
 * never POST/PATCH unless the route allows it, after an Envoy-style back-off, within the
 * destination's {@link RetryBudget} and its mesh-wide {@link ClusterRetryBudgets} (an exhausted
 * cluster budget suppresses the retry). Picking a different endpoint per try is the attempt's job
 * (it knows the endpoints); this class only decides whether and when.
 */
public final class RetryExecutor {
    /** One try; its future completes with the try's result and never fails. */
    public interface Attempt {
        Future<AttemptResult> run(int attempt);

        /** True once the request no longer wants tries (its overall timeout fired, the client left). */
        default boolean cancelled() {
            return false;
        }
    }

    /** What one try got. */
    public interface AttemptResult {
        /** The upstream status, 0 when none was received. */
        int status();

        AttemptFailure failure();

        /** Frees the response this result holds, because a retry replaces it. */
        void discard();
    }

    /**
     * How the tries ended.
     *
     * @param last the result to answer with
     * @param attempts how many tries ran
     * @param retriesExhausted the last result was retriable but no try was left (flag URX)
     * @param retrySuppressed a retry was allowed by the route but refused by the retry budget
     */
    public record Outcome(AttemptResult last, int attempts, boolean retriesExhausted, boolean retrySuppressed) {}

    /** Runs a task later (a Vert.x timer in the proxy; at once in unit tests). */
    @FunctionalInterface
    public interface Scheduler {
        void schedule(long delayMillis, Runnable task);
    }

    private final Backoff backoff;
    private final Scheduler scheduler;
    private final ClusterRetryBudgets clusterBudgets;

    public RetryExecutor(Backoff backoff, Scheduler scheduler) {
        this(backoff, scheduler, null);
    }

    /** @param clusterBudgets the pipeline's budgets, asked before every retry; null: local budget only */
    public RetryExecutor(Backoff backoff, Scheduler scheduler, ClusterRetryBudgets clusterBudgets) {
        this.backoff = backoff;
        this.scheduler = scheduler;
        this.clusterBudgets = clusterBudgets;
    }

    /**
     * Whether {@code policy} would retry after {@code result} (OBSERVE mode, where no retry is made):
     * the route's retryOn and method rule, before any retry budget is asked.
     */
    public static boolean wouldRetry(RetryPolicy policy, String method, AttemptResult result) {
        return policy.attempts() > 0 && policy.allowsMethod(method) && policy.retriable(result.status(), result.failure());
    }

    /** Runs try 1 and any retries; completes with the final outcome. */
    public Future<Outcome> execute(RetryPolicy policy, String method, RetryBudget budget, Attempt attempt) {
        return execute(policy, method, null, budget, attempt);
    }

    /** As above, also within {@code service}'s cluster-wide retry budget. */
    public Future<Outcome> execute(RetryPolicy policy, String method, String service, RetryBudget budget,
            Attempt attempt) {
        var promise = Promise.<Outcome>promise();
        if (clusterBudgets != null && policy != RetryPolicy.NONE) {
            clusterBudgets.recordOriginal(service); // this proxy's share of the cluster budget (inbound tries are not originals)
        }
        new Loop(policy, policy.allowsMethod(method), service, budget, attempt, promise).next();
        return promise.future();
    }

    private final class Loop {
        private final RetryPolicy policy;
        private final boolean methodRetriable;
        private final String service;
        private final RetryBudget budget;
        private final Attempt attempt;
        private final Promise<Outcome> promise;
        private int tries;
        private boolean holdingRetrySlot;

        Loop(RetryPolicy policy, boolean methodRetriable, String service, RetryBudget budget, Attempt attempt,
                Promise<Outcome> promise) {
            this.policy = policy;
            this.methodRetriable = methodRetriable;
            this.service = service;
            this.budget = budget;
            this.attempt = attempt;
            this.promise = promise;
        }

        void next() {
            tries++;
            attempt.run(tries).onComplete(done -> onResult(done.result()));
        }

        private void onResult(AttemptResult result) {
            if (holdingRetrySlot) {
                budget.releaseRetry();
                holdingRetrySlot = false;
            }
            boolean retriable = methodRetriable && policy.retriable(result.status(), result.failure());
            if (!retriable || attempt.cancelled()) {
                promise.complete(new Outcome(result, tries, false, false));
            } else if (tries > policy.attempts()) {
                promise.complete(new Outcome(result, tries, true, false));
            } else if (!budget.tryAcquireRetry()) {
                promise.complete(new Outcome(result, tries, true, true));
            } else if (clusterBudgets != null && !clusterBudgets.tryAcquireRetry(service)) {
                budget.releaseRetry();
                promise.complete(new Outcome(result, tries, true, true));
            } else {
                holdingRetrySlot = true;
                result.discard();
                scheduler.schedule(backoff.delayMillis(tries), this::retryUnlessCancelled);
            }
        }

        private void retryUnlessCancelled() {
            if (attempt.cancelled()) {
                budget.releaseRetry();
                holdingRetrySlot = false;
                promise.complete(new Outcome(CancelledResult.INSTANCE, tries, false, false));
            } else {
                next();
            }
        }
    }

    private enum CancelledResult implements AttemptResult {
        INSTANCE;

        @Override
        public int status() {
            return 0;
        }

        @Override
        public AttemptFailure failure() {
            return AttemptFailure.TIMEOUT;
        }

        @Override
        public void discard() {}
    }
}
