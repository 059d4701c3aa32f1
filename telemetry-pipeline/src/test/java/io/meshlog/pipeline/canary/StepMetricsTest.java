package io.meshlog.pipeline.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StepMetricsTest {
    @Test
    void aWeightedSuccessCountsAsTheRequestsItStandsFor() {
        var metrics = new StepMetrics();
        metrics.record(200, 1_000, 9);
        metrics.record(503, 2_000, 1);

        assertThat(metrics.requests()).isEqualTo(10);
        assertThat(metrics.successRate()).isCloseTo(90.0, within(1e-9));
        assertThat(metrics.toStatus().getFailures()).isEqualTo(1);
    }

    @Test
    void theP99SeesTheWeightOfTheFastRequests() {
        var metrics = new StepMetrics();
        metrics.record(200, 1_000, 99);
        metrics.record(200, 500_000, 1);

        assertThat(metrics.p99Millis()).as("99 of 100 requests took 1 ms").isCloseTo(1.0, within(0.01));
    }
}
