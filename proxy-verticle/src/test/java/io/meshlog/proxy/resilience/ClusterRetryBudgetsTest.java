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

    @Test
    void withoutADecisionRetriesAreLeftToTheLocalBudget() {
        assertThat(budgets.tryAcquireRetry("orders")).isTrue();
        assertThat(budgets.state("orders")).isNull();
    }

    @Test
    void anExhaustedBudgetRefusesEveryRetryOfThatServiceOnly() {
        budgets.update("orders", 0, true, 12, Duration.ofSeconds(10));
        assertThat(budgets.tryAcquireRetry("orders")).isFalse();
        assertThat(budgets.tryAcquireRetry("payments")).isTrue();
    }

    @Test
    void aProxySpendsAtMostWhatRemainedUntilTheNextDecision() {
        budgets.update("orders", 2, false, 12, Duration.ofSeconds(10));
        assertThat(budgets.tryAcquireRetry("orders")).isTrue();
        assertThat(budgets.tryAcquireRetry("orders")).isTrue();
        assertThat(budgets.tryAcquireRetry("orders")).isFalse();
        assertThat(budgets.state("orders").spent()).isEqualTo(2);

        budgets.update("orders", 1, false, 12, Duration.ofSeconds(10));
        assertThat(budgets.tryAcquireRetry("orders")).isTrue();
        assertThat(budgets.tryAcquireRetry("orders")).isFalse();
    }

    @Test
    void aDecisionOlderThanTwoWindowsNoLongerApplies() {
        budgets.update("orders", 0, true, 12, Duration.ofSeconds(10));
        now = now.plusSeconds(19);
        assertThat(budgets.tryAcquireRetry("orders")).isFalse();
        now = now.plusSeconds(2);
        assertThat(budgets.tryAcquireRetry("orders")).isTrue();
        assertThat(budgets.state("orders")).isNull();
    }

    @Test
    void aClearedDecisionNoLongerApplies() {
        budgets.update("orders", 0, true, 12, Duration.ofSeconds(10));
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

        budgets.update("orders", 0, true, 12, Duration.ofSeconds(10));
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
        budgets.update("orders", 1, false, 12, Duration.ofSeconds(10));
        var one = executor.execute(policy, "GET", "orders", local, failing).result();
        assertThat(tries).as("one retry remained").hasValue(2);
        assertThat(one.retrySuppressed()).isTrue();
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
