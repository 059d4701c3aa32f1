package io.meshlog.pipeline.mirror;

import static io.meshlog.pipeline.PipelineDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshlog.pipeline.PipelineDriver;
import io.meshlog.pipeline.export.PrometheusObserver;
import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ShadowComparisonTopologyTest {
    /**
     * Request {@code n} (1-based) of 20: the shadow answers 500 on every 5th, a changed body on every
     * other 4th, and takes 3 ms against the primary's 2 ms.
     */
    private static RequestTelemetry mirrored(int n, Instant time) {
        int shadowStatus = n % 5 == 0 ? 500 : 200;
        String shadowBody = n % 4 == 0 && n % 5 != 0 ? "bbbbbbbb" : "aaaaaaaa";
        return PipelineDriver.event("web", "orders", "e:1", 200, time).setRoute("api")
                .setPrimaryBodyHash("aaaaaaaa").setShadowStatus(shadowStatus).setShadowBodyHash(shadowBody)
                .setShadowDurationMicros(3_000L).build();
    }

    @Test
    void countsStatusAndBodyMismatchesPerRouteExactlyOnceTheWindowCloses() {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (var pipeline = new PipelineDriver(new PrometheusObserver(registry))) {
            // Given: 20 mirrored requests, 5 not mirrored, a DESTINATION report (left out) in the first window
            for (int n = 1; n <= 20; n++) {
                pipeline.send(mirrored(n, T0.plusMillis(100L * n)));
            }
            for (int n = 0; n < 5; n++) {
                pipeline.send(PipelineDriver.event("web", "orders", "e:1", 200, T0.plusMillis(50L * n)).setRoute("api").build());
            }
            pipeline.send(RequestTelemetry.newBuilder(mirrored(5, T0.plusSeconds(3))).setReporter(Reporter.DESTINATION).build());
            assertThat(pipeline.mirrorComparisons.readRecordsToList()).as("window not closed").isEmpty();

            // When: stream time passes the window's end and grace
            pipeline.send(mirrored(1, T0.plusSeconds(15)));

            // Then
            var records = pipeline.mirrorComparisons.readRecordsToList();
            assertThat(records).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("orders/api");
                var c = r.value();
                assertThat(c.getWindowStart()).isEqualTo(T0);
                assertThat(c.getWindowEnd()).isEqualTo(T0.plusSeconds(10));
                assertThat(c.getRequests()).isEqualTo(20);
                assertThat(c.getStatusMismatches()).isEqualTo(4);
                assertThat(c.getBodiesCompared()).isEqualTo(20);
                assertThat(c.getBodyMismatches()).isEqualTo(4);
                assertThat(ShadowTally.latencyDifferenceMillis(c)).isCloseTo(1.0, within(1e-9));
            });
            assertThat(gauge(registry, "meshlog.pipeline.mirror.status.mismatch.ratio")).isEqualTo(0.2);
            assertThat(gauge(registry, "meshlog.pipeline.mirror.body.mismatch.ratio")).isEqualTo(0.2);
            assertThat(gauge(registry, "meshlog.pipeline.mirror.latency.difference")).isCloseTo(1.0, within(1e-9));
            assertThat(gauge(registry, "meshlog.pipeline.mirror.requests")).isEqualTo(20);
        }
    }

    @Test
    void aShadowWithoutAnswerIsAStatusMismatchAndItsBodyIsNotCompared() {
        var timedOut = PipelineDriver.event("web", "orders", "e:1", 200, T0).setPrimaryBodyHash("aaaaaaaa")
                .setShadowStatus(0).setShadowDurationMicros(1_000_000L).build();

        assertThat(ShadowTally.statusMismatch(timedOut)).isTrue();
        assertThat(ShadowTally.bodiesCompared(timedOut)).isFalse();
        assertThat(ShadowTally.bodyMismatch(timedOut)).isFalse();
    }

    private static double gauge(PrometheusMeterRegistry registry, String name) {
        return registry.get(name).tag("service", "orders").tag("route", "api").gauge().value();
    }
}
