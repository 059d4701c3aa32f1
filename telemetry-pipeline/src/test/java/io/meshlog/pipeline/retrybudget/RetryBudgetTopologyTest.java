package io.meshlog.pipeline.retrybudget;

import static io.meshlog.pipeline.PipelineDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.pipeline.PipelineDriver;
import io.meshlog.pipeline.Policies;
import io.meshlog.schemas.v1.RetryBudgetState;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class RetryBudgetTopologyTest {
    @Test
    void budgetFollowsTheFormulaFlipsOnceExhaustedAndRecoversWhenTheWindowSlides() {
        try (var pipeline = new PipelineDriver()) {
            // 0.2 × originals + 1/s × 10 s.
            pipeline.send(Policies.retryBudget("orders", 0.2, 1, 10_000, T0));
            for (int i = 0; i < 100; i++) {
                pipeline.send(PipelineDriver.event("web", "orders", "10.0.0.1:80", 200, T0.plusMillis(10L * i)).build());
            }
            var afterOriginals = states(pipeline);
            var last = afterOriginals.get(afterOriginals.size() - 1);
            assertThat(afterOriginals).allSatisfy(state -> assertThat(state.getAllowedRetries())
                    .as("0.2 × originals + 1 × 10").isEqualTo((long) Math.floor(0.2 * state.getOriginalRequests() + 10)));
            assertThat(last.getOriginalRequests()).isGreaterThan(90);
            assertThat(last.getExhausted()).isFalse();
            assertThat(afterOriginals.size()).as("no state per event").isLessThan(40);

            for (int i = 0; i < 30; i++) {
                pipeline.send(PipelineDriver.event("web", "orders", "10.0.0.1:80", 503, T0.plusMillis(1000 + i))
                        .setRetry(true).setAttempt(2).build());
            }
            var exhausted = states(pipeline);
            var flip = exhausted.get(exhausted.size() - 1);
            assertThat(flip.getExhausted()).isTrue();
            assertThat(flip.getOriginalRequests()).isEqualTo(100);
            assertThat(flip.getRetries()).isEqualTo(30);
            assertThat(flip.getAllowedRetries()).isEqualTo(30);
            assertThat(flip.getRemaining()).isZero();
            assertThat(flip.getDecidedAt()).isEqualTo(T0.plusMillis(1029));
            assertThat(exhausted).as("exhausted is told exactly once").filteredOn(RetryBudgetState::getExhausted)
                    .hasSize(1);

            // 11 s later the window (ten 1 s buckets) holds only the new request: 0.2 × 1 + 10 = 10.
            pipeline.send(PipelineDriver.event("web", "orders", "10.0.0.1:80", 200, T0.plusSeconds(11)).build());
            var recovered = states(pipeline);
            assertThat(recovered).hasSize(1);
            assertThat(recovered.get(0).getExhausted()).isFalse();
            assertThat(recovered.get(0).getOriginalRequests()).isEqualTo(1);
            assertThat(recovered.get(0).getAllowedRetries()).isEqualTo(10);
            assertThat(recovered.get(0).getRemaining()).isEqualTo(10);
        }
    }

    @Test
    void withoutAPolicyTheDefaultsApply() {
        try (var pipeline = new PipelineDriver()) {
            pipeline.send(PipelineDriver.event("web", "cart", "10.0.0.1:80", 200, T0).build());
            var state = states(pipeline).get(0);
            assertThat(state.getTtlMillis()).isEqualTo(10_000);
            assertThat(state.getAllowedRetries()).as("0.2 × 1 + 10/s × 10 s").isEqualTo(100);
        }
    }

    private static List<RetryBudgetState> states(PipelineDriver pipeline) {
        return pipeline.decisions.readRecordsToList().stream()
                .filter(r -> r.key().startsWith("retry-budget/")).map(TestRecord::value)
                .map(d -> (RetryBudgetState) d.getPayload()).toList();
    }
}
