package io.meshlog.pipeline.canary;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.pipeline.PipelineDriver;
import io.meshlog.schemas.v1.CanaryAnalysis;
import io.meshlog.schemas.v1.CanaryMetric;
import io.meshlog.schemas.v1.CanaryPhase;
import io.meshlog.schemas.v1.CanarySpec;
import io.meshlog.schemas.v1.CanaryStatus;
import io.meshlog.schemas.v1.CanaryTargetRef;
import io.meshlog.schemas.v1.CanaryThresholdRange;
import io.meshlog.schemas.v1.ConfigAck;
import io.meshlog.schemas.v1.HttpRoute;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Flagger's mirror stage in the whole pipeline topology (TopologyTestDriver): before any real
 * request goes to the canary, its route mirrors stable's requests to it, and the canary's answers,
 * carried on stable's telemetry, are checked for status and body mismatches.
 */
class CanaryMirrorStageTest {
    private static final String ROUTE_KEY = "VirtualService/default/orders";
    private final PipelineDriver pipeline = new PipelineDriver();
    private final Instant now = PipelineDriver.T0;
    private CanaryStatus last;

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void aCanaryWhoseCopiesAnswerLikeStableLeavesTheMirrorStageForItsFirstWeightedStep() {
        pipeline.send(canary());
        assertThat(routes()).singleElement().satisfies(route -> {
            var split = split(route);
            assertThat(split.getRoute()).extracting(d -> d.getWeight()).containsExactly(100, 0);
            assertThat(split.getMirror().getSubset()).isEqualTo("canary");
            assertThat(split.getMirrorPercentage()).isEqualTo(50.0);
        });
        ack(1);
        mirrored(20, 0, 0);
        assertThat(routes()).as("20 copies, one below minRequests: no step yet").isEmpty();
        assertThat(lastStatus().getMirror()).as("in the mirror stage").isNotNull();

        // When: an unmirrored request and a canary request do not count; the 21st copy completes the stage
        pipeline.send(event("stable", 200).build());
        pipeline.send(event("canary", 200).setShadowStatus(200).build());
        mirrored(1, 0, 0);

        // Then
        var statuses = pipeline.canaryStatuses.readValuesToList();
        assertThat(statuses).extracting(CanaryStatus::getMessage)
                .anySatisfy(m -> assertThat(m).startsWith("mirror stage passed (mirror stage: 21 mirrored requests compared"));
        var status = statuses.get(statuses.size() - 1);
        assertThat(status.getPhase()).isEqualTo(CanaryPhase.Progressing);
        assertThat(status.getMirror()).as("out of the mirror stage").isNull();
        assertThat(status.getCanaryWeight()).isEqualTo(10);
        assertThat(routes()).singleElement().satisfies(route -> {
            assertThat(split(route).getRoute()).extracting(d -> d.getWeight()).containsExactly(90, 10);
            assertThat(split(route).getMirror()).isNull();
        });
    }

    @Test
    void aCanaryWhoseCopiesDifferInStatusIsRolledBackBeforeItGetsARealRequest() {
        pipeline.send(canary());
        routes();
        ack(1);

        // 21 copies: 2 answered 500 (9.52 % above the 5 % max), 1 with another body (4.76 %, within its 10 % max)
        mirrored(21, 2, 1);

        var failed = lastStatus();
        assertThat(failed.getPhase()).isEqualTo(CanaryPhase.Failed);
        assertThat(failed.getCanaryWeight()).isZero();
        assertThat(failed.getRollbackReason().getMetric()).isEqualTo("shadow-status-mismatch");
        assertThat(failed.getRollbackReason().getValue()).isCloseTo(100.0 * 2 / 21, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(failed.getRollbackReason().getThreshold()).isEqualTo(5.0);
        assertThat(failed.getRollbackReason().getRequests()).isEqualTo(21);
        assertThat(failed.getMessage()).startsWith("rolled back: shadow-status-mismatch 9.52% above max 5.00 over 21 mirrored");
        assertThat(routes()).singleElement().satisfies(route -> {
            assertThat(split(route).getRoute()).extracting(d -> d.getWeight()).containsExactly(100, 0);
            assertThat(split(route).getMirror()).as("mirroring stops with the rollback").isNull();
        });
    }

    @Test
    void bodyMismatchesAreCheckedOnTheirOwn() {
        pipeline.send(canary());
        routes();
        ack(1);

        mirrored(21, 0, 3);

        assertThat(lastStatus().getPhase()).isEqualTo(CanaryPhase.Failed);
        assertThat(lastStatus().getRollbackReason().getMetric()).isEqualTo("shadow-body-mismatch");
        assertThat(lastStatus().getRollbackReason().getValue()).isCloseTo(100.0 * 3 / 21, org.assertj.core.api.Assertions.within(1e-9));
    }

    /** {@code count} stable requests mirrored to the canary: the first {@code statusDiffs} got 500, the next {@code bodyDiffs} another body. */
    private void mirrored(int count, int statusDiffs, int bodyDiffs) {
        for (int i = 0; i < count; i++) {
            boolean status = i < statusDiffs;
            boolean body = !status && i < statusDiffs + bodyDiffs;
            pipeline.send(event("stable", 200).setPrimaryBodyHash("aaaaaaaa").setShadowStatus(status ? 500 : 200)
                    .setShadowBodyHash(body ? "bbbbbbbb" : "aaaaaaaa").setShadowDurationMicros(3_000L).build());
        }
    }

    private io.meshlog.schemas.v1.RequestTelemetry.Builder event(String subset, int status) {
        return PipelineDriver.event("frontend", "orders", "10.0.0.9:80", status, now).setProxyId("frontend-proxy")
                .setDestinationSubset(subset);
    }

    private PolicyEvent canary() {
        var analysis = CanaryAnalysis.newBuilder().setInterval(10_000).setThreshold(1).setMinRequests(21)
                .setStepWeights(List.of(10, 50)).setMirror(true).setMirrorWeight(50)
                .setMetrics(List.of(metric("request-success-rate", 99.0, null), metric("shadow-status-mismatch", null, 5.0),
                        metric("shadow-body-mismatch", null, 10.0)))
                .build();
        var spec = CanarySpec.newBuilder().setTargetRef(CanaryTargetRef.newBuilder().setName("orders").build())
                .setAnalysis(analysis).build();
        return PolicyEvent.newBuilder().setKind(PolicyKind.Canary).setNamespace("default").setName("orders")
                .setGeneration(1).setAuthor("test").setTime(now).setSpec(spec).build();
    }

    private static CanaryMetric metric(String name, Double min, Double max) {
        return CanaryMetric.newBuilder().setName(name)
                .setThresholdRange(CanaryThresholdRange.newBuilder().setMin(min).setMax(max).build()).build();
    }

    private void ack(long routeGeneration) {
        pipeline.configAcks.pipeInput("frontend-proxy", ConfigAck.newBuilder().setProxyId("frontend-proxy")
                .setWorkload("frontend").setNamespace("default").setSnapshotVersion(routeGeneration)
                .setGenerations(Map.of(ROUTE_KEY, routeGeneration, "Canary/default/orders", 1L)).setAppliedAt(now).build(), now);
        // the route came back from the policy topic: a request lets the run see every proxy acknowledged it
        pipeline.send(event("stable", 200).build());
    }

    private List<PolicyEvent> routes() {
        return pipeline.policyWrites.readValuesToList();
    }

    private CanaryStatus lastStatus() {
        var all = pipeline.canaryStatuses.readValuesToList();
        if (!all.isEmpty()) {
            last = all.get(all.size() - 1);
        }
        assertThat(last).as("statuses emitted").isNotNull();
        return last;
    }

    private static HttpRoute split(PolicyEvent route) {
        var spec = (VirtualServiceSpec) route.getSpec();
        return spec.getHttp().get(spec.getHttp().size() - 1);
    }
}
