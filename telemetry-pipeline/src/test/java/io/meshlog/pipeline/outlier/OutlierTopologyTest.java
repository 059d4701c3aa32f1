package io.meshlog.pipeline.outlier;

import static io.meshlog.pipeline.PipelineDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.pipeline.PipelineDriver;
import io.meshlog.pipeline.Policies;
import io.meshlog.schemas.v1.Ejection;
import io.meshlog.schemas.v1.EjectionReason;
import io.meshlog.schemas.v1.OutlierDetection;
import io.meshlog.schemas.v1.ResponseFlag;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class OutlierTopologyTest {
    private static final String BAD = "10.0.0.3:8080";
    private static final List<String> GOOD = List.of("10.0.0.1:8080", "10.0.0.2:8080");

    @Test
    void fiveCallersEachSeeingOneFailureEjectTheEndpointOnTheFifth() {
        try (var pipeline = new PipelineDriver()) {
            pipeline.send(Policies.destinationRule("orders", OutlierDetection.newBuilder().build(), T0));
            var callers = List.of("a", "b", "c", "d", "e");
            for (int i = 0; i < callers.size(); i++) {
                var time = T0.plusMillis(100L * i);
                for (var good : GOOD) {
                    pipeline.send(PipelineDriver.event(callers.get(i), "orders", good, 200, time).build());
                }
                assertThat(ejections(pipeline)).as("after %d failures", i).isEmpty();
                pipeline.send(PipelineDriver.event(callers.get(i), "orders", BAD, 503, time).build());
            }
            var records = pipeline.decisions.readRecordsToList().stream()
                    .filter(r -> r.key().startsWith("ejection/")).toList();
            assertThat(records).hasSize(1);
            assertThat(records.get(0).key()).isEqualTo("ejection/orders/" + BAD);
            var ejection = (Ejection) records.get(0).value().getPayload();
            assertThat(ejection.getEjected()).isTrue();
            assertThat(ejection.getReason()).isEqualTo(EjectionReason.CONSECUTIVE_5XX);
            assertThat(ejection.getEjectionCount()).isEqualTo(1);
            assertThat(ejection.getDecidedAt()).isEqualTo(T0.plusMillis(400));
            assertThat(ejection.getUntil()).isEqualTo(T0.plusMillis(400).plusSeconds(30));
        }
    }

    @Test
    void ejectionTimeGrowsWithEachEjectionUpToTheCapAndEndsOnEitherClock() {
        var od = OutlierDetection.newBuilder().setConsecutive5xxErrors(2).setBaseEjectionTime(10_000L)
                .setMaxEjectionTime(25_000L).setInterval(3_600_000L).build();
        try (var pipeline = new PipelineDriver()) {
            pipeline.send(Policies.destinationRule("orders", od, T0));
            var t = T0;
            var durations = new java.util.ArrayList<Duration>();
            for (int round = 1; round <= 3; round++) {
                pipeline.send(PipelineDriver.event("web", "orders", BAD, 500, t).build());
                pipeline.send(PipelineDriver.event("web", "orders", BAD, 500, t.plusMillis(1)).build());
                var ejection = single(ejections(pipeline));
                assertThat(ejection.getEjected()).isTrue();
                assertThat(ejection.getEjectionCount()).isEqualTo(round);
                durations.add(Duration.between(ejection.getDecidedAt(), ejection.getUntil()));
                var until = ejection.getUntil();
                if (round == 1) {
                    // Wall clock: nothing else arrives, the punctuation ends the ejection.
                    pipeline.advanceWallClock(Duration.between(T0, until).plusSeconds(1));
                } else {
                    // Event time: the next event of the service after `until` ends it.
                    pipeline.send(PipelineDriver.event("web", "orders", GOOD.get(0), 200, until).build());
                }
                var back = single(ejections(pipeline));
                assertThat(back.getEjected()).isFalse();
                assertThat(back.getReason()).isEqualTo(EjectionReason.EJECTION_EXPIRED);
                t = until.plusMillis(10);
            }
            assertThat(durations).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20),
                    Duration.ofSeconds(25));
        }
    }

    @Test
    void maxEjectionPercentKeepsASecondFailingEndpointInWhileOneIsOut() {
        try (var pipeline = new PipelineDriver()) {
            pipeline.send(Policies.destinationRule("orders", OutlierDetection.newBuilder().build(), T0));
            var t = T0;
            for (int i = 0; i < 5; i++) {
                t = t.plusMillis(10);
                pipeline.send(PipelineDriver.event("web", "orders", GOOD.get(0), 200, t).build());
                pipeline.send(PipelineDriver.event("web", "orders", GOOD.get(1), 500, t).build());
                pipeline.send(PipelineDriver.event("web", "orders", BAD, 500, t).build());
            }
            // Three endpoints, 10 %: the first ejection is always allowed, a second would be 67 %.
            assertThat(ejections(pipeline)).extracting(Ejection::getEndpoint).containsExactly(GOOD.get(1));
        }
    }

    @Test
    void successRateOutlierIsEjectedWhenTheIntervalEnds() {
        var od = OutlierDetection.newBuilder().setConsecutive5xxErrors(0).build();
        try (var pipeline = new PipelineDriver()) {
            pipeline.send(Policies.destinationRule("orders", od, T0));
            // 5 endpoints × 100 requests in the first 10 s interval: four at 100 %, one at 50 %.
            // mean 90, population stdev 20, threshold 90 - 1.9 × 20 = 52: the 50 % one is out.
            for (int i = 0; i < 100; i++) {
                var time = T0.plusMillis(50L * i);
                for (int e = 1; e <= 5; e++) {
                    int status = e == 5 && i % 2 == 0 ? 500 : 200;
                    pipeline.send(PipelineDriver.event("web", "orders", "10.0.1." + e + ":80", status, time).build());
                }
            }
            assertThat(ejections(pipeline)).isEmpty();
            pipeline.send(PipelineDriver.event("web", "orders", "10.0.1.1:80", 200, T0.plusSeconds(10)).build());
            var ejection = single(ejections(pipeline));
            assertThat(ejection.getEndpoint()).isEqualTo("10.0.1.5:80");
            assertThat(ejection.getReason()).isEqualTo(EjectionReason.SUCCESS_RATE);
            assertThat(ejection.getDetail()).contains("success rate 50.00% below 52.00%");
        }
    }

    @Test
    void failuresTheCallerCausedItselfAreNotHeldAgainstTheEndpoint() {
        try (var pipeline = new PipelineDriver()) {
            pipeline.send(Policies.destinationRule("orders", OutlierDetection.newBuilder().build(), T0));
            for (int i = 0; i < 10; i++) {
                pipeline.send(PipelineDriver.event("web", "orders", BAD, 503, T0.plusMillis(i))
                        .setResponseFlags(List.of(ResponseFlag.FI)).build());
            }
            assertThat(ejections(pipeline)).isEmpty();
        }
    }

    @Test
    void noEndpointIsEjectedWithoutAnOutlierDetectionBlockAsInIstio() {
        try (var pipeline = new PipelineDriver()) {
            // Given: one service without any rule, one whose rule has no outlierDetection
            pipeline.send(Policies.destinationRuleWithSubset("payments", "v2", null, T0));
            // When
            failTenTimes(pipeline, "orders", null, T0);
            failTenTimes(pipeline, "payments", null, T0);
            // Then
            assertThat(ejections(pipeline)).isEmpty();
        }
    }

    @Test
    void aSubsetsOwnOutlierDetectionAppliesToResultsRoutedToThatSubsetOnly() {
        try (var pipeline = new PipelineDriver()) {
            // Given: only subset v2 turns detection on, after 2 errors in a row
            pipeline.send(Policies.destinationRuleWithSubset("orders", "v2",
                    OutlierDetection.newBuilder().setConsecutive5xxErrors(2).build(), T0));
            // When: ten errors of an endpoint reached through subset "other", two through v2
            failTenTimes(pipeline, "orders", "other", T0);
            assertThat(ejections(pipeline)).isEmpty();
            for (int i = 0; i < 2; i++) {
                pipeline.send(PipelineDriver.event("web", "orders", "10.0.2.2:80", 500, T0.plusSeconds(1).plusMillis(i))
                        .setDestinationSubset("v2").build());
            }
            // Then
            var ejection = single(ejections(pipeline));
            assertThat(ejection.getEndpoint()).isEqualTo("10.0.2.2:80");
            assertThat(ejection.getReason()).isEqualTo(EjectionReason.CONSECUTIVE_5XX);
        }
    }

    @Test
    void theMeshWideRuleTurnsDetectionOnForServicesWithoutARuleOfTheirOwn() {
        try (var pipeline = new PipelineDriver()) {
            // Given
            pipeline.send(Policies.meshWideDestinationRule(OutlierDetection.newBuilder().setConsecutive5xxErrors(3).build(), T0));
            pipeline.send(Policies.destinationRuleWithSubset("payments", "v2", null, T0));
            pipeline.advanceWallClock(Duration.ofSeconds(2)); // the processor reads the mesh-wide rule each second
            // When
            failTenTimes(pipeline, "orders", null, T0);
            failTenTimes(pipeline, "payments", null, T0);
            // Then: orders by the mesh-wide rule; payments' own rule (no outlierDetection) wins whole
            var ejection = single(ejections(pipeline));
            assertThat(ejection.getService()).isEqualTo("orders");
            assertThat(ejection.getDetail()).contains("3 5xx in a row");
        }
    }

    @Test
    void deletingTheMeshWideRuleTurnsDetectionOffAgain() {
        try (var pipeline = new PipelineDriver()) {
            var rule = Policies.meshWideDestinationRule(OutlierDetection.newBuilder().build(), T0);
            pipeline.send(rule);
            pipeline.advanceWallClock(Duration.ofSeconds(2));
            pipeline.policies.pipeInput(io.meshlog.pipeline.policy.ServicePolicies.keyOf(rule), null, T0.plusSeconds(1));
            pipeline.advanceWallClock(Duration.ofSeconds(2));
            failTenTimes(pipeline, "orders", null, T0.plusSeconds(2));
            assertThat(ejections(pipeline)).isEmpty();
        }
    }

    private static void failTenTimes(PipelineDriver pipeline, String service, String subset, Instant from) {
        for (int i = 0; i < 10; i++) {
            pipeline.send(PipelineDriver.event("web", service, "10.0.2.1:80", 500, from.plusMillis(i))
                    .setDestinationSubset(subset).build());
            pipeline.send(PipelineDriver.event("web", service, "10.0.2.3:80", 200, from.plusMillis(i))
                    .setDestinationSubset(subset).build());
        }
    }

    private static List<Ejection> ejections(PipelineDriver pipeline) {
        return pipeline.decisions.readRecordsToList().stream().map(TestRecord::value)
                .filter(d -> d.getPayload() instanceof Ejection).map(d -> (Ejection) d.getPayload()).toList();
    }

    private static Ejection single(List<Ejection> ejections) {
        assertThat(ejections).hasSize(1);
        return ejections.get(0);
    }

    static Instant at(long millis) {
        return T0.plusMillis(millis);
    }
}
