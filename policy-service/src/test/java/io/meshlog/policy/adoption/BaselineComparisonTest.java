package io.meshlog.policy.adoption;

import static io.meshlog.policy.adoption.AdoptionFixtures.T0;
import static io.meshlog.policy.adoption.AdoptionFixtures.edge;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaselineComparisonTest {
    private static final List<WindowData.ProxySample> PROXY = List.of(
            new WindowData.ProxySample("p", "orders-v1", "shop", 0, 1.0, 100L << 20),
            new WindowData.ProxySample("p", "orders-v1", "shop", 60_000, 1.6, 100L << 20));

    @Test
    void figuresWithinToleranceAreNoRegression() {
        var then = MeshFigures.of("before", window(edge("web", "orders", 600, 6, 10_000, 1_000)));
        var now = MeshFigures.of("now", window(edge("web", "orders", 660, 6, 11_000, 1_100)));

        var text = new StringWriter();
        var regressions = new BaselineComparison(then, now).print(new PrintWriter(text));

        assertThat(regressions).isEmpty();
        assertThat(text.toString()).contains("web->orders").contains("req/s").contains("No regression");
    }

    @Test
    void aSlowerP99AndAHigherErrorRatioAreFlaggedAsRegressions() {
        var then = MeshFigures.of("before", window(edge("web", "orders", 600, 6, 10_000, 1_000)));
        var now = MeshFigures.of("now", window(edge("web", "orders", 600, 30, 20_000, 4_000)));

        var text = new StringWriter();
        var regressions = new BaselineComparison(then, now).print(new PrintWriter(text));

        assertThat(regressions).containsExactly("web->orders error ratio %: 1.00 -> 5.00",
                "web->orders p99 ms: 10.05 -> 20.10", "web->orders overhead p99 ms: 1.00 -> 4.02"); // HdrHistogram, 2 digits
        assertThat(text.toString()).contains("REGRESSION").contains("3 regression(s)");
    }

    private static WindowData window(io.meshlog.schemas.v1.EdgeMetrics edge) {
        return new WindowData(T0, Duration.ofMinutes(1), List.of(edge), List.of(), PROXY);
    }
}
