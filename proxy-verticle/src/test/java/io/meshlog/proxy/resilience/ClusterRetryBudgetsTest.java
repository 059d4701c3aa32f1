package io.meshlog.proxy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClusterRetryBudgetsTest {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final ClusterRetryBudgets budgets = new ClusterRetryBudgets(clock);

    private static final Duration WINDOW = Duration.ofSeconds(10);

    @Test
    void withoutADecisionRetriesAreLeftToTheLocalBudget() {
        assertThat(budgets.tryAcquireRetry("orders")).isTrue();
        assertThat(budgets.state("orders")).isNull();
    }

    @Test
    void anExhaustedBudgetRefusesEveryRetryOfThatServiceOnly() {
        originals(budgets, "orders", 10);
        budgets.update("orders", 10, 0, true, 12, WINDOW, now);
        assertThat(budgets.tryAcquireRetry("orders")).isFalse();
        assertThat(budgets.tryAcquireRetry("payments")).isTrue();
    }

    @Test
    void theOnlyCallerSpendsAtMostWhatRemainedUntilTheNextDecision() {
        originals(budgets, "orders", 10);
        budgets.update("orders", 10, 2, false, 12, WINDOW, now);
        assertThat(budgets.state("orders").share()).isEqualTo(1.0);
        assertThat(budgets.tryAcquireRetry("orders")).isTrue();
        assertThat(budgets.tryAcquireRetry("orders")).isTrue();
        assertThat(budgets.tryAcquireRetry("orders")).isFalse();
        assertThat(budgets.state("orders").spent()).isEqualTo(2);

        budgets.update("orders", 10, 1, false, 12, WINDOW, now);
        assertThat(budgets.tryAcquireRetry("orders")).isTrue();
        assertThat(budgets.tryAcquireRetry("orders")).isFalse();
    }

    @Test
    void aCallerSpendsOnlyItsShareOfWhatRemainedInProportionToItsOriginals() {
        originals(budgets, "orders", 20);
        budgets.update("orders", 100, 30, false, 40, WINDOW, now);

        var spent = 0;
        while (budgets.tryAcquireRetry("orders")) {
            spent++;
        }

        assertThat(spent).as("a fifth of the 30 that remained").isEqualTo(6);
        var state = budgets.state("orders");
        assertThat(state.share()).isEqualTo(0.2);
        assertThat(state.spent()).isEqualTo(6);
        assertThat(state.left()).isZero();
    }

    @Test
    void originalsSentAfterThePipelineDecidedDoNotEnlargeTheShare() {
        originals(budgets, "orders", 10);
        var decidedAt = now;
        now = now.plusSeconds(1);
        originals(budgets, "orders", 30);

        budgets.update("orders", 50, 10, false, 30, WINDOW, decidedAt);

        assertThat(budgets.state("orders").share()).isEqualTo(0.2);
    }

    @Test
    void fiveCallersTogetherStayWithinTheAllowanceEvenWhenTheNextDecisionHasNotSeenTheirRetries() {
        var callers = new java.util.ArrayList<ClusterRetryBudgets>();
        for (int i = 0; i < 5; i++) {
            var caller = new ClusterRetryBudgets(clock);
            originals(caller, "payments", 20);
            callers.add(caller);
        }
        var decidedAt = now;
        callers.forEach(c -> c.update("payments", 100, 40, false, 40, WINDOW, decidedAt));
        long first = callers.stream().mapToLong(c -> drain(c, "payments")).sum();

        // the pipeline decides again before any of those retries reached it: same remaining, a few more originals
        now = now.plusMillis(300);
        callers.forEach(c -> c.update("payments", 105, 41, false, 41, WINDOW, now));
        long second = callers.stream().mapToLong(c -> drain(c, "payments")).sum();

        assertThat(first).as("each spends a fifth of 40").isEqualTo(40);
        assertThat(first + second).as("never more than the allowance").isLessThanOrEqualTo(41);
    }

    @Test
    void aDecisionOlderThanTwoWindowsNoLongerApplies() {
        budgets.update("orders", 10, 0, true, 12, WINDOW, now);
        now = now.plusSeconds(19);
        assertThat(budgets.tryAcquireRetry("orders")).isFalse();
        now = now.plusSeconds(2);
        assertThat(budgets.tryAcquireRetry("orders")).isTrue();
        assertThat(budgets.state("orders")).isNull();
    }

    @Test
    void aClearedDecisionNoLongerApplies() {
        budgets.update("orders", 10, 0, true, 12, WINDOW, now);
        budgets.clear("orders");
        assertThat(budgets.tryAcquireRetry("orders")).isTrue();
    }

    @Test
    void theRetryExecutorSuppressesTheRetryWhenTheClusterBudgetIsExhausted() {
        var executor = new RetryExecutor(new Backoff(bound -> 0), (delay, task) -> task.run(), budgets);
        var policy = new RetryPolicy(3, Duration.ZERO, Set.of(RetryOn.FIVE_XX), Set.of(), false);
        var tries = new AtomicInteger();
        RetryExecutor.Attempt failing = attempt -> {
            tries.incrementAndGet();
            return Future.succeededFuture(new Failed());
        };
        var local = new RetryBudget();

        budgets.update("orders", 10, 0, true, 12, WINDOW, now);
        var suppressed = executor.execute(policy, "GET", "orders", local, failing).result();
        assertThat(tries).hasValue(1);
        assertThat(suppressed.retrySuppressed()).isTrue();
        assertThat(suppressed.retriesExhausted()).isTrue();
        assertThat(local.activeRetries()).as("the local slot is given back").isZero();

        tries.set(0);
        var other = executor.execute(policy, "GET", "payments", local, failing).result();
        assertThat(tries).as("another service retries as the route says").hasValue(4);
        assertThat(other.retrySuppressed()).isFalse();

        tries.set(0);
        // the executor counted the one original it sent to orders: all of the pipeline's one original
        budgets.update("orders", 1, 1, false, 12, WINDOW, now);
        var one = executor.execute(policy, "GET", "orders", local, failing).result();
        assertThat(tries).as("one retry remained").hasValue(2);
        assertThat(one.retrySuppressed()).isTrue();
    }

    private void originals(ClusterRetryBudgets budgets, String service, int count) {
        for (int i = 0; i < count; i++) {
            budgets.recordOriginal(service);
        }
    }

    private static long drain(ClusterRetryBudgets budgets, String service) {
        long spent = 0;
        while (budgets.tryAcquireRetry(service)) {
            spent++;
        }
        return spent;
    }

    private record Failed() implements RetryExecutor.AttemptResult {
        @Override
        public int status() {
            return 503;
        }

        @Override
        public AttemptFailure failure() {
            return AttemptFailure.NONE;
        }

        @Override
        public void discard() {}
    }
}
