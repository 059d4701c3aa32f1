package io.meshlog.proxy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryExecutorTest {
    private final List<Long> delays = new ArrayList<>();
    private final RetryExecutor executor = new RetryExecutor(new Backoff(bound -> bound - 1), (delay, task) -> {
        delays.add(delay);
        task.run();
    });
    private final RetryPolicy fiveXx = new RetryPolicy(2, Duration.ZERO, Set.of(RetryOn.FIVE_XX), Set.of(), false);

    private record Result(int status, AttemptFailure failure, List<String> log) implements RetryExecutor.AttemptResult {
        @Override
        public void discard() {
            log.add("discard " + status);
        }
    }

    private RetryExecutor.Attempt statuses(List<String> log, int... statuses) {
        var queue = new ArrayDeque<Integer>();
        for (int s : statuses) {
            queue.add(s);
        }
        return attempt -> {
            log.add("try " + attempt);
            return Future.succeededFuture(new Result(queue.poll(), AttemptFailure.NONE, log));
        };
    }

    private static RetryExecutor.Outcome await(Future<RetryExecutor.Outcome> future) {
        assertThat(future.succeeded()).isTrue();
        return future.result();
    }

    @Test
    void retriesA503AndAnswersWithTheSuccess() {
        var log = new ArrayList<String>();
        var outcome = await(executor.execute(fiveXx, "GET", new RetryBudget(), statuses(log, 503, 200)));
        assertThat(outcome.last().status()).isEqualTo(200);
        assertThat(outcome.attempts()).isEqualTo(2);
        assertThat(outcome.retriesExhausted()).isFalse();
        assertThat(log).containsExactly("try 1", "discard 503", "try 2");
        assertThat(delays).containsExactly(25L);
    }

    @Test
    void givesUpAfterAttemptsRetriesAndFlagsExhaustion() {
        var log = new ArrayList<String>();
        var outcome = await(executor.execute(fiveXx, "GET", new RetryBudget(), statuses(log, 500, 500, 502, 200)));
        assertThat(outcome.attempts()).isEqualTo(3);
        assertThat(outcome.last().status()).isEqualTo(502);
        assertThat(outcome.retriesExhausted()).isTrue();
        assertThat(delays).containsExactly(25L, 75L);
    }

    @Test
    void neverRetriesAPost() {
        var log = new ArrayList<String>();
        var outcome = await(executor.execute(fiveXx, "POST", new RetryBudget(), statuses(log, 503, 200)));
        assertThat(outcome.last().status()).isEqualTo(503);
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(outcome.retriesExhausted()).isFalse();
    }

    @Test
    void retriesAPostWhenTheRouteAllowsNonIdempotentRetries() {
        var log = new ArrayList<String>();
        var lenient = new RetryPolicy(2, Duration.ZERO, Set.of(RetryOn.FIVE_XX), Set.of(), true);
        var outcome = await(executor.execute(lenient, "POST", new RetryBudget(), statuses(log, 503, 200)));
        assertThat(outcome.last().status()).isEqualTo(200);
    }

    @Test
    void anExhaustedBudgetSuppressesTheRetry() {
        var budget = new RetryBudget();
        for (int i = 0; i < 3; i++) {
            assertThat(budget.tryAcquireRetry()).isTrue();
        }
        var log = new ArrayList<String>();
        var outcome = await(executor.execute(fiveXx, "GET", budget, statuses(log, 503, 200)));
        assertThat(outcome.last().status()).isEqualTo(503);
        assertThat(outcome.retrySuppressed()).isTrue();
    }

    @Test
    void releasesItsRetrySlotsWhenDone() {
        var budget = new RetryBudget();
        await(executor.execute(fiveXx, "GET", budget, statuses(new ArrayList<>(), 503, 503, 200)));
        assertThat(budget.activeRetries()).isZero();
    }

    @Test
    void wouldRetryFollowsTheRoutesRetryOnAndMethodRuleOnly() {
        RetryExecutor.AttemptResult fiveHundred = new RetryExecutor.AttemptResult() {
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
        };

        assertThat(RetryExecutor.wouldRetry(fiveXx, "GET", fiveHundred)).isTrue();
        assertThat(RetryExecutor.wouldRetry(fiveXx, "POST", fiveHundred)).as("POST is not retried by default").isFalse();
        assertThat(RetryExecutor.wouldRetry(RetryPolicy.NONE, "GET", fiveHundred)).isFalse();
    }
}
