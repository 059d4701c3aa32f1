package io.meshlog.pipeline.retrybudget;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    @Test
    void allowedRetriesIsRatioTimesOriginalsPlusMinimumTimesTtl() {
        var config = new RetryBudgetConfig(0.25, 5, Duration.ofSeconds(20));
        var budget = new RetryBudget(config);
        for (int i = 0; i < 400; i++) {
            budget.record(i * 10L, 1, false);
        }
        for (int i = 0; i < 150; i++) {
            budget.record(4000 + i, 1, true);
        }
        var snapshot = budget.snapshot();
        assertThat(snapshot.allowedRetries()).as("0.25 × 400 + 5 × 20").isEqualTo(200);
        assertThat(snapshot.remaining()).isEqualTo(50);
        assertThat(snapshot.exhausted()).isFalse();
        for (int i = 0; i < 50; i++) {
            budget.record(5000, 1, true);
        }
        assertThat(budget.snapshot().exhausted()).isTrue();
        assertThat(budget.snapshot().remaining()).isZero();
    }

    @Test
    void onlyMeaningfulChangesAreEmitted() {
        var budget = new RetryBudget(RetryBudgetConfig.DEFAULTS);
        int emitted = 0;
        for (int i = 0; i < 1000; i++) {
            budget.record(i, 1, false);
            if (budget.shouldEmit(budget.snapshot())) {
                emitted++;
            }
        }
        // Allowance grows from 100 to 300 in steps of 0.2: a state every ~10 % change.
        assertThat(emitted).isBetween(2, 20);
    }

    @Test
    void encodeDecodeKeepsTheWindowAndTheLastEmittedState() {
        var budget = new RetryBudget(RetryBudgetConfig.DEFAULTS);
        budget.record(0, 1, false);
        budget.record(1, 1, true);
        assertThat(budget.shouldEmit(budget.snapshot())).isTrue();
        var copy = RetryBudget.decode(budget.encode(), RetryBudgetConfig.DEFAULTS);
        assertThat(copy.snapshot()).isEqualTo(budget.snapshot());
        assertThat(copy.shouldEmit(copy.snapshot())).as("already emitted before the restart").isFalse();
    }
}
