package io.meshlog.dev.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.schemas.v1.AlertSeverity;
import io.meshlog.schemas.v1.AlertState;
import io.meshlog.schemas.v1.BurnRateAlert;
import io.meshlog.schemas.v1.Decision;
import io.meshlog.schemas.v1.EdgeMetrics;
import io.meshlog.schemas.v1.Ejection;
import io.meshlog.schemas.v1.EjectionReason;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeshViewTest {
    private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void servicesSumTheirIncomingEdgesLatestWindow() {
        var view = new MeshView();
        view.edge(edge("api-gateway", "orders", T.minusSeconds(10), 999, 999));
        view.edge(edge("api-gateway", "orders", T, 100, 5));
        view.edge(edge("payments-client", "orders", T, 100, 0));

        var line = view.snapshot().services().get(0);
        assertThat(line.service()).isEqualTo("orders");
        assertThat(line.requestsPerSecond()).isEqualTo(20.0);
        assertThat(line.errorRatio()).isEqualTo(0.025);
    }

    @Test
    void unEjectionAndResolvedAlertDisappear() {
        var view = new MeshView();
        view.decision("ejection/inventory/a", ejection(true));
        view.alert("slo/shop/o/PAGE", alert(AlertState.FIRING));
        assertThat(view.snapshot().ejections()).hasSize(1);
        assertThat(view.snapshot().alerts()).hasSize(1);

        view.decision("ejection/inventory/a", ejection(false));
        view.alert("slo/shop/o/PAGE", alert(AlertState.RESOLVED));
        assertThat(view.snapshot().ejections()).isEmpty();
        assertThat(view.snapshot().alerts()).isEmpty();
    }

    @Test
    void aProxysLocalEjectionIsNotListedAmongTheClusterWideOnes() {
        var view = new MeshView();
        var local = ejection(true);
        ((Ejection) local.getPayload()).setScope(io.meshlog.schemas.v1.EjectionScope.LOCAL);

        view.decision("local-ejection/orders-v1-7/inventory/127.0.0.1:9003", local);

        assertThat(view.snapshot().ejections()).isEmpty();
    }

    @Test
    void rendersEjectionAndAlert() {
        var view = new MeshView();
        view.edge(edge("api-gateway", "orders", T, 100, 5));
        view.decision("ejection/inventory/a", ejection(true));
        view.alert("slo/shop/o/PAGE", alert(AlertState.FIRING));
        var text = new LiveViewRenderer(Clock.fixed(T, ZoneOffset.UTC), List.of("meshlog dev"))
                .render(view.snapshot());
        assertThat(text).contains("orders").contains("127.0.0.1:9003").contains("CONSECUTIVE_5XX")
                .contains("PAGE").contains("shop/orders-availability");
    }

    @Test
    void showsTheMeshModeOfTheMeshAndOfEachNamespaceAndForgetsADeletedOne() {
        var view = new MeshView();
        view.policy("MeshMode/meshlog-system/default", meshMode("meshlog-system", io.meshlog.schemas.v1.EnforcementMode.OBSERVE));
        view.policy("MeshMode/shop/default", meshMode("shop", io.meshlog.schemas.v1.EnforcementMode.ENFORCE));
        view.policy("MeshMode/billing/default", meshMode("billing", io.meshlog.schemas.v1.EnforcementMode.ENFORCE));
        view.policy("MeshMode/billing/default", null);

        var snapshot = view.snapshot();
        var text = new LiveViewRenderer(Clock.fixed(T, ZoneOffset.UTC), List.of("meshlog dev")).render(snapshot);

        assertThat(snapshot.modes()).containsOnly(
                java.util.Map.entry("meshlog-system", io.meshlog.schemas.v1.EnforcementMode.OBSERVE),
                java.util.Map.entry("shop", io.meshlog.schemas.v1.EnforcementMode.ENFORCE));
        assertThat(text).contains("MODES (MeshMode)").containsPattern("mesh +OBSERVE").containsPattern("shop +ENFORCE")
                .doesNotContain("billing");
    }

    private static io.meshlog.schemas.v1.PolicyEvent meshMode(String namespace, io.meshlog.schemas.v1.EnforcementMode mode) {
        return io.meshlog.schemas.v1.PolicyEvent.newBuilder().setKind(io.meshlog.schemas.v1.PolicyKind.MeshMode)
                .setNamespace(namespace).setName("default").setGeneration(1).setAuthor("t").setTime(T)
                .setSpec(io.meshlog.schemas.v1.MeshModeSpec.newBuilder().setMode(mode).build()).build();
    }

    @Test
    void rendersEachCanarysPhaseWeightAndRollbackReasonAndForgetsADeletedOne() {
        var view = new MeshView();
        var empty = io.meshlog.schemas.v1.CanaryStepMetrics.newBuilder().setRequests(0).setFailures(0).build();
        var failed = io.meshlog.schemas.v1.CanaryStatus.newBuilder().setNamespace("shop").setName("orders")
                .setService("orders").setStableSubset("v1").setCanarySubset("v2")
                .setPhase(io.meshlog.schemas.v1.CanaryPhase.Failed).setCanaryGeneration(1).setStep(0).setSteps(3)
                .setCanaryWeight(0).setFailedChecks(1).setRouteGeneration(2).setRouteAcknowledged(true)
                .setStepStartedAt(T).setCanary(empty).setStable(empty).setUpdatedAt(T)
                .setRollbackReason(io.meshlog.schemas.v1.CanaryRollbackReason.newBuilder()
                        .setMetric("request-success-rate").setValue(80.0).setThreshold(99.0).setRequests(50).build())
                .setMessage("rolled back: ...").build();
        view.canary("shop/orders", failed);

        var text = new LiveViewRenderer(Clock.fixed(T, ZoneOffset.UTC), List.of("meshlog dev")).render(view.snapshot());

        assertThat(text).contains("CANARIES\n  shop/orders    v1 -> v2  Failed      weight   0%  step 1/3\n"
                + "    rolled back: request-success-rate 80.00 vs threshold 99.00 over 50 canary requests\n");
        view.canary("shop/orders", null);
        assertThat(view.snapshot().canaries()).isEmpty();
    }

    private static EdgeMetrics edge(String src, String dst, Instant start, long requests, long errors) {
        return EdgeMetrics.newBuilder().setSource(src).setDestination(dst).setWindowStart(start)
                .setWindowEnd(start.plusSeconds(10)).setRequests(requests).setErrors4xx(0)
                .setErrors5xx(errors).setRetries(0).setRequestBytes(0).setResponseBytes(0)
                .setP50Millis(1).setP95Millis(2).setP99Millis(3).build();
    }

    private static Decision ejection(boolean ejected) {
        return Decision.newBuilder().setPayload(Ejection.newBuilder().setService("inventory")
                .setEndpoint("127.0.0.1:9003").setEjected(ejected).setReason(EjectionReason.CONSECUTIVE_5XX)
                .setEjectionCount(1).setUntil(T.plusSeconds(30)).setDecidedAt(T).build()).build();
    }

    private static BurnRateAlert alert(AlertState state) {
        return BurnRateAlert.newBuilder().setSloNamespace("shop").setSloName("orders-availability")
                .setService("orders").setSeverity(AlertSeverity.PAGE).setState(state)
                .setLongWindowMillis(3_600_000).setShortWindowMillis(300_000).setLongBurnRate(20)
                .setShortBurnRate(30).setThreshold(14.4).setTarget(99.9).setErrorBudgetRemaining(0.9)
                .setEventTime(T).build();
    }
}
