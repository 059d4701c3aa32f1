package io.meshlog.pipeline.outlier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SuccessRateOutliersTest {
    @Test
    void oneEndpointFarBelowTheOthersIsAnOutlier() {
        // Rates 100,100,100,100,50: mean 90, variance (4×10² + 40²)/5 = 400, stdev 20, 90 - 1.9×20 = 52.
        var counts = Map.of("a", c(100, 100), "b", c(100, 100), "c", c(200, 200), "d", c(150, 150),
                "e", c(50, 100));
        var result = SuccessRateOutliers.evaluate(counts, 5, 100, 1.9);
        assertThat(result.evaluated()).isTrue();
        assertThat(result.mean()).isCloseTo(90, offset(1e-9));
        assertThat(result.stdev()).isCloseTo(20, offset(1e-9));
        assertThat(result.threshold()).isCloseTo(52, offset(1e-9));
        assertThat(result.outliers()).containsExactly("e");
    }

    @Test
    void aTightSpreadHasNoOutlier() {
        // 99,98,97,96,95: mean 97, variance 2, stdev 1.4142, threshold 94.313: 95 stays.
        var counts = Map.of("a", c(99, 100), "b", c(98, 100), "c", c(97, 100), "d", c(96, 100), "e", c(95, 100));
        var result = SuccessRateOutliers.evaluate(counts, 5, 100, 1.9);
        assertThat(result.threshold()).isCloseTo(97 - 1.9 * Math.sqrt(2), offset(1e-9));
        assertThat(result.outliers()).isEmpty();
    }

    @Test
    void aSmallerFactorCatchesAMilderOutlier() {
        // Same spread with factor 1.0: threshold 97 - 1.4142 = 95.586: 95 is out.
        var counts = Map.of("a", c(99, 100), "b", c(98, 100), "c", c(97, 100), "d", c(96, 100), "e", c(95, 100));
        assertThat(SuccessRateOutliers.evaluate(counts, 5, 100, 1.0).outliers()).containsExactly("e");
    }

    @Test
    void endpointsBelowTheRequestVolumeDoNotCountTowardsTheMinimumHosts() {
        var counts = Map.of("a", c(100, 100), "b", c(100, 100), "c", c(100, 100), "d", c(100, 100),
                "e", c(0, 99));
        var result = SuccessRateOutliers.evaluate(counts, 5, 100, 1.9);
        assertThat(result.evaluated()).isFalse();
        assertThat(result.outliers()).isEmpty();
    }

    @Test
    void failurePercentageEjectsAtOrAboveTheThreshold() {
        var counts = Map.of("a", c(100, 100), "b", c(15, 100), "c", c(14, 100), "d", c(0, 10));
        assertThat(SuccessRateOutliers.failurePercentage(counts, 3, 50, 85)).containsExactly("c", "b");
        assertThat(SuccessRateOutliers.failurePercentage(counts, 4, 50, 85)).as("d lacks volume").isEmpty();
        assertThat(SuccessRateOutliers.failurePercentage(counts, 1, 50, -1)).as("disabled").isEmpty();
    }

    private static long[] c(long successes, long total) {
        return new long[] {successes, total};
    }
}
