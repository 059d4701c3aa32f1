package io.meshlog.pipeline.canary;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.pipeline.PipelineDriver;
import io.meshlog.schemas.v1.CanaryAnalysis;
import io.meshlog.schemas.v1.CanaryMetric;
import io.meshlog.schemas.v1.CanaryPhase;
import io.meshlog.schemas.v1.CanarySessionAffinity;
import io.meshlog.schemas.v1.CanarySpec;
import io.meshlog.schemas.v1.CanaryStatus;
import io.meshlog.schemas.v1.CanaryTargetRef;
import io.meshlog.schemas.v1.CanaryThresholdRange;
import io.meshlog.schemas.v1.ConfigAck;
import io.meshlog.schemas.v1.HttpMatchRequest;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import io.meshlog.schemas.v1.StringMatch;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The canary controller in the whole pipeline topology (TopologyTestDriver; its wall clock is the
 * controller's clock). The routes it writes to the policy topic come back to it as input, as on a
 * broker.
 */
class CanaryTopologyTest {
    private static final String ROUTE_KEY = "VirtualService/default/orders";
    private final PipelineDriver pipeline = new PipelineDriver();
    private Instant now = PipelineDriver.T0;
    private CanaryStatus last;

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void aHealthyCanaryIsPromotedThroughEveryStepEachWaitingForTheCallersAcknowledgement() {
        pipeline.send(canary(1, a -> a.setStepWeights(List.of(10, 50))));
        var first = routes();
        assertThat(first).singleElement().satisfies(route -> {
            assertThat(route.getAuthor()).isEqualTo("canary-controller");
            assertThat(route.getGeneration()).isEqualTo(1);
            assertThat(weights(route)).containsExactly(90, 10);
        });
        ack("frontend-proxy", 1);
        requests("frontend-proxy", "canary", 20, 0);
        assertThat(lastStatus().getStep()).as("step 1 passed with 20 canary requests").isEqualTo(1);
        assertThat(routes()).singleElement().satisfies(route -> {
            assertThat(route.getGeneration()).isEqualTo(2);
            assertThat(weights(route)).containsExactly(50, 50);
        });

        requests("frontend-proxy", "canary", 30, 0);
        assertThat(lastStatus().getWaitingFor()).containsExactly("frontend-proxy");
        assertThat(lastStatus().getCanary().getRequests()).as("not counted before the caller applied generation 2")
                .isZero();
        ack("frontend-proxy", 2);
        tick();
        assertThat(lastStatus().getRouteAcknowledged()).isTrue();
        requests("frontend-proxy", "stable", 10, 0);
        requests("frontend-proxy", "canary", 20, 0);

        var promoting = statuses();
        assertThat(promoting).extracting(CanaryStatus::getPhase).contains(CanaryPhase.Promoting, CanaryPhase.Finalising);
        assertThat(routes()).singleElement().satisfies(route -> assertThat(weights(route)).containsExactly(0, 100));
        ack("frontend-proxy", 3);
        tick();
        var done = lastStatus();
        assertThat(done.getPhase()).isEqualTo(CanaryPhase.Succeeded);
        assertThat(done.getCanaryWeight()).isEqualTo(100);
        assertThat(done.getRouteGeneration()).isEqualTo(3);
    }

    @Test
    void aCanaryFailingOneInFiveIsRolledBackAtItsMinimumRequestsWithTheReason() {
        pipeline.send(canary(1, a -> a.setStepWeights(List.of(10, 50))));
        routes();
        ack("frontend-proxy", 1);
        requests("frontend-proxy", "stable", 40, 0);
        requests("frontend-proxy", "canary", 19, 4);
        assertThat(lastStatus().getPhase()).as("19 requests: below minRequests").isEqualTo(CanaryPhase.Progressing);
        requests("frontend-proxy", "canary", 1, 0);

        var failed = lastStatus();
        assertThat(failed.getPhase()).isEqualTo(CanaryPhase.Failed);
        assertThat(failed.getCanaryWeight()).isZero();
        assertThat(failed.getRollbackReason().getMetric()).isEqualTo("request-success-rate");
        assertThat(failed.getRollbackReason().getValue()).isEqualTo(80.0);
        assertThat(failed.getRollbackReason().getThreshold()).isEqualTo(99.0);
        assertThat(failed.getRollbackReason().getRequests()).isEqualTo(20);
        assertThat(failed.getMessage()).startsWith("rolled back: request-success-rate 80.00 below min 99.00 over 20 "
                + "canary requests (stable 100.00 over 40 requests in the same time)");
        assertThat(routes()).singleElement().satisfies(route -> {
            assertThat(route.getGeneration()).isEqualTo(2);
            assertThat(weights(route)).containsExactly(100, 0);
        });
    }

    @Test
    void aSlowCanaryFailsOnItsP99() {
        pipeline.send(canary(1, a -> a.setStepWeights(List.of(10))));
        routes();
        for (int i = 0; i < 20; i++) {
            request("frontend-proxy", "canary", 200, i < 2 ? 2_000_000 : 1_000);
        }

        var failed = lastStatus();
        assertThat(failed.getPhase()).isEqualTo(CanaryPhase.Failed);
        assertThat(failed.getRollbackReason().getMetric()).isEqualTo("request-duration");
        assertThat(failed.getRollbackReason().getValue()).isGreaterThan(1_900.0);
        assertThat(failed.getRollbackReason().getThreshold()).isEqualTo(500.0);
    }

    @Test
    void aStepWithoutEnoughRequestsWithinItsIntervalIsAFailedCheckAndTheThresholdRollsBack() {
        pipeline.send(canary(1, a -> a.setStepWeights(List.of(10)).setThreshold(2)));
        routes();
        requests("frontend-proxy", "canary", 5, 0);

        advance(Duration.ofSeconds(10));
        var first = lastStatus();
        assertThat(first.getPhase()).isEqualTo(CanaryPhase.Progressing);
        assertThat(first.getFailedChecks()).isEqualTo(1);
        assertThat(first.getRollbackReason().getMetric()).isEqualTo("min-requests");
        assertThat(first.getRollbackReason().getValue()).isEqualTo(5.0);
        assertThat(first.getRollbackReason().getThreshold()).isEqualTo(20.0);
        assertThat(routes()).as("the same step is checked again, without a route change").isEmpty();

        advance(Duration.ofSeconds(10));
        assertThat(lastStatus().getPhase()).isEqualTo(CanaryPhase.Failed);
        assertThat(lastStatus().getRollbackReason().getValue()).isZero();
        assertThat(routes()).singleElement().satisfies(route -> assertThat(weights(route)).containsExactly(100, 0));
    }

    @Test
    void abTestingSendsOnlyMatchingRequestsToTheCanaryAndPromotesAfterItsIterations() {
        var match = HttpMatchRequest.newBuilder().setHeaders(Map.of("x-canary",
                StringMatch.newBuilder().setExact("insider").build())).build();
        pipeline.send(canary(1, a -> a.setMatch(List.of(match)).setIterations(2)));

        var route = (VirtualServiceSpec) routes().get(0).getSpec();
        assertThat(route.getHttp()).hasSize(2);
        assertThat(route.getHttp().get(0).getMatch()).containsExactly(match);
        assertThat(route.getHttp().get(0).getRoute()).singleElement()
                .satisfies(d -> assertThat(d.getDestination().getSubset()).isEqualTo("canary"));
        assertThat(weights(routes(), 1)).isEmpty();
        assertThat(weightsOf(route, 1)).containsExactly(100, 0);

        requests("frontend-proxy", "canary", 20, 0);
        assertThat(lastStatus().getStep()).isEqualTo(1);
        assertThat(routes()).singleElement().satisfies(r -> assertThat(((VirtualServiceSpec) r.getSpec()).getHttp()).hasSize(2));
        requests("frontend-proxy", "canary", 20, 0);

        assertThat(lastStatus().getPhase()).isEqualTo(CanaryPhase.Succeeded);
        assertThat(routes()).singleElement().satisfies(r -> {
            assertThat(((VirtualServiceSpec) r.getSpec()).getHttp()).as("promoted: no match route left").hasSize(1);
            assertThat(weights(r)).containsExactly(0, 100);
        });
    }

    @Test
    void skipAnalysisPromotesStepByStepOnAcknowledgementsAlone() {
        var canary = canary(1, a -> a.setStepWeights(List.of(10, 50)));
        ((CanarySpec) canary.getSpec()).setSkipAnalysis(true);
        pipeline.send(canary);

        assertThat(routes()).extracting(r -> weights(r)).containsExactly(List.of(90, 10), List.of(50, 50), List.of(0, 100));
        assertThat(lastStatus().getPhase()).isEqualTo(CanaryPhase.Succeeded);
    }

    @Test
    void aNewGenerationOfTheCanaryRestartsTheAnalysisAboveTheRoutesLastGeneration() {
        pipeline.send(canary(1, a -> a.setStepWeights(List.of(10, 50))));
        requests("frontend-proxy", "canary", 20, 0);
        assertThat(routes()).hasSize(2);

        pipeline.send(canary(2, a -> a.setStepWeights(List.of(25))));

        assertThat(routes()).singleElement().satisfies(route -> {
            assertThat(route.getGeneration()).isEqualTo(3);
            assertThat(weights(route)).containsExactly(75, 25);
        });
        var restarted = lastStatus();
        assertThat(restarted.getCanaryGeneration()).isEqualTo(2);
        assertThat(restarted.getStep()).isZero();
        assertThat(restarted.getSteps()).isEqualTo(1);
    }

    @Test
    void theSameSpecAppliedAgainAfterTheRunFinishedStartsANewRollout() {
        pipeline.send(canary(1, a -> a.setStepWeights(List.of(10))));
        requests("frontend-proxy", "canary", 20, 0);
        assertThat(lastStatus().getPhase()).isEqualTo(CanaryPhase.Succeeded);
        routes();

        pipeline.send(canary(2, a -> a.setStepWeights(List.of(10))));

        assertThat(lastStatus().getCanaryGeneration()).isEqualTo(2);
        assertThat(lastStatus().getPhase()).isEqualTo(CanaryPhase.Progressing);
        assertThat(routes()).singleElement().satisfies(route -> assertThat(weights(route)).containsExactly(90, 10));
    }

    @Test
    void deletingTheCanaryDeletesItsStatusAndLeavesTheRouteAsItIs() {
        pipeline.send(canary(1, a -> a.setStepWeights(List.of(10))));
        routes();
        statuses();

        pipeline.policies.pipeInput("Canary/default/orders", null, now);

        var records = pipeline.canaryStatuses.readRecordsToList();
        assertThat(records).last().satisfies(r -> {
            assertThat(r.key()).isEqualTo("default/orders");
            assertThat(r.value()).isNull();
        });
        assertThat(routes()).isEmpty();
    }

    @Test
    void requestsToOtherServicesAndOtherSubsetsAreNotCounted() {
        pipeline.send(canary(1, a -> a.setStepWeights(List.of(10))));
        requests("frontend-proxy", "v3", 30, 0);
        pipeline.send(PipelineDriver.event("frontend", "payments", "10.0.0.1:80", 200, now)
                .setDestinationSubset("canary").build());
        tick();

        assertThat(lastStatus().getCanary().getRequests()).isZero();
        assertThat(lastStatus().getPhase()).isEqualTo(CanaryPhase.Progressing);
    }

    @Test
    void meshctlControlsThroughTheCanarysLabelPauseResumePromoteAndAbortWithoutRestartingTheRun() {
        pipeline.send(canary(1, a -> a.setStepWeights(List.of(10, 20, 30)).setThreshold(1)));
        requests("frontend-proxy", "canary", 20, 0);
        assertThat(lastStatus().getStep()).isEqualTo(1);
        routes();

        pipeline.send(controlled(2, "pause", a -> a.setStepWeights(List.of(10, 20, 30)).setThreshold(1)));
        advance(Duration.ofSeconds(30));
        requests("frontend-proxy", "canary", 20, 5);
        var paused = lastStatus();
        assertThat(paused.getPaused()).isTrue();
        assertThat(paused.getPhase()).as("neither the interval nor failing requests count while paused")
                .isEqualTo(CanaryPhase.Progressing);
        assertThat(paused.getStep()).isEqualTo(1);
        assertThat(paused.getCanaryGeneration()).isEqualTo(2);

        pipeline.send(controlled(3, null, a -> a.setStepWeights(List.of(10, 20, 30)).setThreshold(1)));
        assertThat(lastStatus().getPaused()).isFalse();
        assertThat(lastStatus().getMessage()).startsWith("resumed: step 2 of 3");

        pipeline.send(controlled(4, "promote", a -> a.setStepWeights(List.of(10, 20, 30)).setThreshold(1)));
        assertThat(routes()).singleElement().satisfies(route -> assertThat(weights(route)).containsExactly(0, 100));
        assertThat(lastStatus().getPhase()).isEqualTo(CanaryPhase.Succeeded);
    }

    @Test
    void abortRollsBackAtOnceNamingTheAbort() {
        pipeline.send(canary(1, a -> a.setStepWeights(List.of(10, 50))));
        routes();

        pipeline.send(controlled(2, "abort", a -> a.setStepWeights(List.of(10, 50))));

        var aborted = lastStatus();
        assertThat(aborted.getPhase()).isEqualTo(CanaryPhase.Failed);
        assertThat(aborted.getRollbackReason().getMetric()).isEqualTo("manual-abort");
        assertThat(aborted.getMessage()).startsWith("rolled back: aborted by meshctl canary abort");
        assertThat(routes()).singleElement().satisfies(route -> assertThat(weights(route)).containsExactly(100, 0));
    }

    @Test
    void aRefusingPreRolloutWebhookRollsBackBeforeAnyTrafficShiftsAndGetsTheCanarysStateAsJson() throws Exception {
        try (var hooks = new WebhookServer()) {
            hooks.answer("/pre", 503);
            pipeline.send(canary(1, a -> a.setStepWeights(List.of(10)).setWebhooks(List.of(hooks.hook("gate", "pre-rollout", "/pre")))));

            assertThat(routes()).singleElement().satisfies(route -> assertThat(weights(route)).containsExactly(100, 0));
            var failed = lastStatus();
            assertThat(failed.getPhase()).isEqualTo(CanaryPhase.Failed);
            assertThat(failed.getRollbackReason().getMetric()).isEqualTo("webhook-pre-rollout");
            assertThat(failed.getMessage()).contains("pre-rollout webhook \"gate\" did not accept: HTTP 503");
            assertThat(hooks.bodies("/pre")).singleElement().satisfies(body -> assertThat(body)
                    .contains("\"name\":\"orders\"", "\"namespace\":\"default\"", "\"phase\":\"Initialized\"",
                            "\"type\":\"pre-rollout\"", "\"metadata\":{\"team\":\"shop\"}"));
        }
    }

    @Test
    void aRolloutWebhookThatDoesNotAnswerInTimeIsAFailedCheck() throws Exception {
        try (var hooks = new WebhookServer()) {
            hooks.answer("/check", 0);
            var hook = hooks.hook("load-test", "rollout", "/check");
            hook.setTimeout(200);
            pipeline.send(canary(1, a -> a.setStepWeights(List.of(10)).setWebhooks(List.of(hook))));
            routes();
            requests("frontend-proxy", "canary", 20, 0);

            var failed = lastStatus();
            assertThat(failed.getPhase()).isEqualTo(CanaryPhase.Failed);
            assertThat(failed.getRollbackReason().getMetric()).isEqualTo("webhook-rollout");
            assertThat(failed.getMessage()).contains("rollout webhook \"load-test\" did not accept: timed out after 200 ms");
        }
    }

    @Test
    void aRollbackWebhookAnswering2xxRollsBackAtTheNextCheck() throws Exception {
        try (var hooks = new WebhookServer()) {
            hooks.answer("/rollback", 404);
            pipeline.send(canary(1, a -> a.setStepWeights(List.of(10, 50))
                    .setWebhooks(List.of(hooks.hook("manual", "rollback", "/rollback")))));
            routes();
            requests("frontend-proxy", "canary", 20, 0);
            assertThat(lastStatus().getStep()).as("404: no rollback asked, step 1 passed").isEqualTo(1);
            ack("frontend-proxy", 2);
            tick();
            hooks.answer("/rollback", 200);
            requests("frontend-proxy", "canary", 20, 0);

            var failed = lastStatus();
            assertThat(failed.getPhase()).isEqualTo(CanaryPhase.Failed);
            assertThat(failed.getRollbackReason().getMetric()).isEqualTo("webhook-rollback");
        }
    }

    @Test
    void promotionWaitsForConfirmationAndPostRolloutHearsTheOutcome() throws Exception {
        try (var hooks = new WebhookServer()) {
            hooks.answer("/confirm", 403);
            hooks.answer("/done", 200);
            pipeline.send(canary(1, a -> a.setStepWeights(List.of(10)).setWebhooks(List.of(
                    hooks.hook("approval", "confirm-promotion", "/confirm"), hooks.hook("notify", "post-rollout", "/done")))));
            routes();
            requests("frontend-proxy", "canary", 20, 0);
            assertThat(lastStatus().getPhase()).isEqualTo(CanaryPhase.Progressing);
            assertThat(lastStatus().getMessage()).contains("promotion not confirmed: confirm-promotion webhook "
                    + "\"approval\" did not accept: HTTP 403");
            assertThat(routes()).as("no promotion route").isEmpty();

            hooks.answer("/confirm", 204);
            requests("frontend-proxy", "canary", 20, 0);
            assertThat(routes()).singleElement().satisfies(route -> assertThat(weights(route)).containsExactly(0, 100));
            ack("frontend-proxy", 2);
            tick();

            assertThat(lastStatus().getPhase()).isEqualTo(CanaryPhase.Succeeded);
            assertThat(lastStatus().getMessage()).endsWith("; post-rollout webhook \"notify\": HTTP 200");
            assertThat(hooks.bodies("/done")).singleElement().satisfies(body -> assertThat(body).contains("\"phase\":\"Succeeded\""));
        }
    }

    @Test
    void sessionAffinityPutsStickyWeightsOnTheSplitRoute() {
        pipeline.send(canary(1, a -> a.setStepWeights(List.of(10))
                .setSessionAffinity(CanarySessionAffinity.newBuilder().setCookie("session").build())));

        var split = ((VirtualServiceSpec) routes().get(0).getSpec()).getHttp().get(0);
        assertThat(split.getStickyWeights().getCookie()).isEqualTo("session");
        assertThat(split.getStickyWeights().getHeader()).isNull();
        assertThat(split.getRoute()).extracting(d -> d.getDestination().getSubset()).as("the canary owns the top buckets")
                .containsExactly("stable", "canary");
    }

    private PolicyEvent controlled(long generation, String control, Consumer<CanaryAnalysis.Builder> analysis) {
        var event = canary(generation, analysis);
        event.setLabels(control == null ? Map.of() : Map.of(CanaryRun.CONTROL_LABEL, control));
        return event;
    }

    private PolicyEvent canary(long generation, Consumer<CanaryAnalysis.Builder> analysis) {
        return PolicyEvent.newBuilder().setKind(PolicyKind.Canary).setNamespace("default").setName("orders")
                .setGeneration(generation).setAuthor("test").setTime(now).setSpec(spec(analysis)).build();
    }

    private static CanarySpec spec(Consumer<CanaryAnalysis.Builder> analysis) {
        var builder = CanaryAnalysis.newBuilder().setInterval(10_000).setThreshold(1).setMinRequests(20)
                .setMetrics(List.of(
                        CanaryMetric.newBuilder().setName("request-success-rate")
                                .setThresholdRange(CanaryThresholdRange.newBuilder().setMin(99.0).build()).build(),
                        CanaryMetric.newBuilder().setName("request-duration")
                                .setThresholdRange(CanaryThresholdRange.newBuilder().setMax(500.0).build()).build()));
        analysis.accept(builder);
        return CanarySpec.newBuilder().setTargetRef(CanaryTargetRef.newBuilder().setName("orders").build())
                .setAnalysis(builder.build()).build();
    }

    private void requests(String proxy, String subset, int count, int failures) {
        for (int i = 0; i < count; i++) {
            request(proxy, subset, i < failures ? 503 : 200, 3_000);
        }
    }

    private void request(String proxy, String subset, int status, long micros) {
        pipeline.send(PipelineDriver.event("frontend", "orders", "10.0.0.9:80", status, now)
                .setProxyId(proxy).setDestinationSubset(subset).setDurationMicros(micros).build());
    }

    private void ack(String proxy, long routeGeneration) {
        pipeline.configAcks.pipeInput(proxy, ConfigAck.newBuilder().setProxyId(proxy).setWorkload("frontend")
                .setNamespace("default").setSnapshotVersion(routeGeneration)
                .setGenerations(Map.of(ROUTE_KEY, routeGeneration, "Canary/default/orders", 1L)).setAppliedAt(now).build(), now);
    }

    private void tick() {
        advance(CanaryTopology.DEFAULT_TICK);
    }

    private void advance(Duration by) {
        now = now.plus(by);
        pipeline.advanceWallClock(by);
    }

    private List<PolicyEvent> routes() {
        return pipeline.policyWrites.readValuesToList();
    }

    /** The statuses emitted since the last look. */
    private List<CanaryStatus> statuses() {
        var all = pipeline.canaryStatuses.readValuesToList();
        if (!all.isEmpty()) {
            last = all.get(all.size() - 1);
        }
        return all;
    }

    /** The newest status emitted so far. */
    private CanaryStatus lastStatus() {
        statuses();
        assertThat(last).as("statuses emitted").isNotNull();
        return last;
    }

    private static List<Integer> weights(PolicyEvent route) {
        var spec = (VirtualServiceSpec) route.getSpec();
        return weightsOf(spec, spec.getHttp().size() - 1);
    }

    private static List<Integer> weights(List<PolicyEvent> routes, int index) {
        return routes.size() > index ? weights(routes.get(index)) : List.of();
    }

    private static List<Integer> weightsOf(VirtualServiceSpec spec, int route) {
        return spec.getHttp().get(route).getRoute().stream().map(d -> d.getWeight()).toList();
    }
}
