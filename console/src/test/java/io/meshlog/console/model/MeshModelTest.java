package io.meshlog.console.model;

import static io.meshlog.console.ConsoleEvents.ack;
import static io.meshlog.console.ConsoleEvents.alert;
import static io.meshlog.console.ConsoleEvents.edge;
import static io.meshlog.console.ConsoleEvents.ejectAllRule;
import static io.meshlog.console.ConsoleEvents.ejection;
import static io.meshlog.console.ConsoleEvents.localEjection;
import static io.meshlog.console.ConsoleEvents.request;
import static io.meshlog.console.ConsoleEvents.slo;
import static io.meshlog.console.ConsoleEvents.split;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.console.findings.ConfigFinding;
import io.meshlog.schemas.v1.AlertState;
import io.meshlog.schemas.v1.PolicyKind;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo's shape folded into the model, read back as the page's graph and service detail. */
class MeshModelTest {
    private static final Instant END = Instant.parse("2026-12-05T12:00:00Z");
    private MeshModel model;

    @BeforeEach
    void demo() {
        model = new MeshModel(Clock.fixed(END.plusSeconds(5), ZoneOffset.UTC));
        model.configAck("loadgen", ack("loadgen", "loadgen", "shop", Map.of()));
        calls("loadgen", "api-gateway", "api-gateway-v1", "v1", "127.0.0.1:1");
        calls("api-gateway-v1", "orders", "orders-v1", "v1", "127.0.0.1:2");
        calls("api-gateway-v1", "orders", "orders-v2", "v2", "127.0.0.1:3");
        calls("orders-v1", "inventory", "inventory-3", "v1", "127.0.0.1:4");
        // A minute of 10 s windows: 400 requests each (40 req/s).
        for (int i = 0; i < 6; i++) {
            var end = END.minusSeconds(10L * i);
            model.edge(edge("loadgen", "api-gateway", end, 400, 0, 30));
            model.edge(edge("api-gateway-v1", "orders", end, 400, 8, 20));
            model.edge(edge("orders-v1", "inventory", end, 400, 50, 10));
        }
    }

    private void calls(String source, String service, String workload, String subset, String endpoint) {
        model.telemetry(request(source, "shop", service, workload, subset, endpoint, 200, List.of(), 1000, END));
    }

    @Test
    void edgesCarryRateErrorRatioP95HealthAndMtls() {
        var graph = GraphBuilder.build(model, null, TimeWindow.ONE_MINUTE);
        var gateway = link(graph, "loadgen->api-gateway");
        assertThat(gateway.getString("source")).isEqualTo("wl:shop/loadgen");
        assertThat(gateway.getString("target")).isEqualTo("svc:shop/api-gateway");
        assertThat(gateway.getDouble("rps")).isEqualTo(40.0);
        assertThat(gateway.getDouble("p95")).isEqualTo(30.0);
        assertThat(gateway.getBoolean("mtls")).isTrue();
        assertThat(gateway.getString("health")).isEqualTo("HEALTHY");
        assertThat(link(graph, "api-gateway-v1->orders").getDouble("errorRatio")).isEqualTo(0.02);
        assertThat(link(graph, "api-gateway-v1->orders").getString("health")).isEqualTo("DEGRADED");
        assertThat(link(graph, "orders-v1->inventory").getString("health")).isEqualTo("FAILURE");
    }

    @Test
    void serviceNodesSumTheirInboundEdgesAndWorkloadsSitBesideTheirService() {
        var graph = GraphBuilder.build(model, null, TimeWindow.ONE_MINUTE);
        assertThat(node(graph, "svc:shop/orders").getDouble("rps")).isEqualTo(40.0);
        assertThat(node(graph, "svc:shop/orders").getString("health")).isEqualTo("DEGRADED");
        var v2 = node(graph, "wl:shop/orders-v2");
        assertThat(v2.getString("service")).isEqualTo("orders");
        assertThat(v2.getString("subset")).isEqualTo("v2");
        assertThat(link(graph, "svc:shop/orders=>wl:shop/orders-v2").getString("kind")).isEqualTo("serves");
    }

    @Test
    void theCanaryWeightOfASubsetIsOnTheLineToItsWorkload() {
        model.policy("VirtualService/shop/orders", split("shop", "orders", 90, 10));
        var graph = GraphBuilder.build(model, null, TimeWindow.ONE_MINUTE);
        assertThat(link(graph, "svc:shop/orders=>wl:shop/orders-v2").getInteger("weight")).isEqualTo(10);
        assertThat(link(graph, "svc:shop/orders=>wl:shop/orders-v1").getInteger("weight")).isEqualTo(90);
    }

    @Test
    void aRateIsOverTheSelectedWindowOnly() {
        model.edge(edge("loadgen", "api-gateway", END.minusSeconds(120), 6000, 0, 30));
        assertThat(link(GraphBuilder.build(model, null, TimeWindow.ONE_MINUTE), "loadgen->api-gateway")
                .getDouble("rps")).isEqualTo(40.0);
        // 5m reaches back to the first window seen, 130 s before the newest end.
        assertThat(link(GraphBuilder.build(model, null, TimeWindow.FIVE_MINUTES), "loadgen->api-gateway")
                .getDouble("rps")).isEqualTo(Math.round((2400 + 6000) / 130.0 * 100) / 100.0);
    }

    @Test
    void aStaleGraphShowsNoTraffic() {
        var later = new MeshModel(Clock.fixed(END.plusSeconds(120), ZoneOffset.UTC));
        later.edge(edge("loadgen", "api-gateway", END, 400, 0, 30));
        var graph = GraphBuilder.build(later, null, TimeWindow.ONE_MINUTE);
        assertThat(link(graph, "loadgen->api-gateway").getDouble("rps")).isZero();
        assertThat(node(graph, "svc:default/api-gateway").getString("health")).isEqualTo("IDLE");
    }

    @Test
    void windowsOlderThanTheLongestSelectionAreDropped() {
        model.edge(edge("old", "gone", END.minusSeconds(7200), 1, 0, 1));
        model.edge(edge("loadgen", "api-gateway", END.plusSeconds(10), 400, 0, 30));
        assertThat(model.edgeKeys()).doesNotContain("old->gone");
    }

    @Test
    void aProxysLocalEjectionShowsAsLocalWithTheProxyUntilItsEnd() {
        model.decision("local-ejection/orders-v1-7/inventory/127.0.0.1:4",
                localEjection("orders-v1-7", "inventory", "127.0.0.1:4", END));

        var mark = node(GraphBuilder.build(model, null, TimeWindow.ONE_MINUTE), "wl:shop/inventory-3")
                .getJsonArray("ejections").getJsonObject(0);
        assertThat(mark.getString("scope")).isEqualTo("local");
        assertThat(mark.getString("proxyId")).isEqualTo("orders-v1-7");
        var endpoint = ServiceDetailBuilder.build(model, new ServiceRef("shop", "inventory"), TimeWindow.ONE_MINUTE)
                .orElseThrow().getJsonArray("endpoints").getJsonObject(0);
        assertThat(endpoint.getBoolean("ejected")).as("not cluster-wide").isFalse();
        assertThat(endpoint.getJsonArray("localEjections").getJsonObject(0).getString("detail"))
                .isEqualTo("5 consecutive gateway errors");
    }

    @Test
    void aLocalEjectionPastItsEndIsNotShownThoughNoReturnWasReported() {
        // The clock is END + 5 s; this one ran from END - 60 s to END - 30 s.
        model.decision("local-ejection/orders-v1-7/inventory/127.0.0.1:4",
                localEjection("orders-v1-7", "inventory", "127.0.0.1:4", END.minusSeconds(60)));

        assertThat(node(GraphBuilder.build(model, null, TimeWindow.ONE_MINUTE), "wl:shop/inventory-3")
                .getJsonArray("ejections")).isEmpty();
    }

    @Test
    void aClusterWideEjectionShowsOnTheWorkloadBehindTheEndpointUntilItEnds() {
        model.decision("ejection/inventory/127.0.0.1:4", ejection("inventory", "127.0.0.1:4", true, END));
        var graph = GraphBuilder.build(model, null, TimeWindow.ONE_MINUTE);
        var workload = node(graph, "wl:shop/inventory-3");
        assertThat(workload.getJsonArray("ejections").getJsonObject(0).getString("reason")).isEqualTo("CONSECUTIVE_5XX");
        assertThat(workload.getString("health")).isEqualTo("FAILURE");
        assertThat(node(graph, "svc:shop/inventory").getJsonArray("ejections")).hasSize(1);

        model.decision("ejection/inventory/127.0.0.1:4", ejection("inventory", "127.0.0.1:4", false, END));
        assertThat(node(GraphBuilder.build(model, null, TimeWindow.ONE_MINUTE), "wl:shop/inventory-3")
                .getJsonArray("ejections")).isEmpty();
    }

    @Test
    void aFiringAlertShowsOnItsServiceAndAResolvedOneDoesNot() {
        model.alert("slo/shop/orders-availability/PAGE", alert("shop", "orders-availability", "orders", AlertState.FIRING, END));
        var alerts = node(GraphBuilder.build(model, null, TimeWindow.ONE_MINUTE), "svc:shop/orders").getJsonArray("alerts");
        assertThat(alerts.getJsonObject(0).getString("slo")).isEqualTo("shop/orders-availability");
        assertThat(alerts.getJsonObject(0).getString("severity")).isEqualTo("PAGE");

        model.alert("slo/shop/orders-availability/PAGE", alert("shop", "orders-availability", "orders", AlertState.RESOLVED, END));
        assertThat(node(GraphBuilder.build(model, null, TimeWindow.ONE_MINUTE), "svc:shop/orders")
                .getJsonArray("alerts")).isEmpty();
    }

    @Test
    void aFindingShowsOnTheServiceItsPolicyConcerns() {
        model.policy("DestinationRule/shop/inventory", ejectAllRule("shop", "inventory"));
        model.findings(List.of(new ConfigFinding("ML0105", "WARNING", PolicyKind.DestinationRule, "shop", "inventory",
                "spec.trafficPolicy.outlierDetection.maxEjectionPercent", "may eject every endpoint", "lower it")));
        var graph = GraphBuilder.build(model, null, TimeWindow.ONE_MINUTE);
        assertThat(node(graph, "svc:shop/inventory").getJsonArray("findings").getJsonObject(0).getString("code"))
                .isEqualTo("ML0105");
        assertThat(node(graph, "svc:shop/orders").getJsonArray("findings")).isEmpty();
    }

    @Test
    void aFindingOfTheMeshWideRuleShowsOnEveryService() {
        model.policy("DestinationRule/meshlog-system/mesh-default", ejectAllRule("meshlog-system", "*.local"));
        model.findings(List.of(new ConfigFinding("ML0105", "WARNING", PolicyKind.DestinationRule, "meshlog-system",
                "mesh-default", "spec.trafficPolicy.outlierDetection.maxEjectionPercent", "may eject every endpoint",
                "lower it")));
        var graph = GraphBuilder.build(model, null, TimeWindow.ONE_MINUTE);
        for (var service : List.of("svc:shop/inventory", "svc:shop/orders")) {
            assertThat(node(graph, service).getJsonArray("findings").getJsonObject(0).getString("code")).isEqualTo("ML0105");
        }
    }

    @Test
    void theNamespaceFilterKeepsItsNodesAndTheEdgesTouchingThem() {
        model.configAck("billing-v1", ack("billing-v1", "billing-v1", "pay", Map.of()));
        model.edge(edge("billing-v1", "ledger", END, 10, 0, 5));
        var pay = GraphBuilder.build(model, "pay", TimeWindow.ONE_MINUTE);
        assertThat(pay.getJsonArray("nodes").stream().map(n -> ((JsonObject) n).getString("id")))
                .containsExactlyInAnyOrder("wl:pay/billing-v1", "svc:pay/ledger");
        assertThat(pay.getJsonArray("namespaces")).contains("pay", "shop");
    }

    @Test
    void theServiceDetailListsEndpointsSlosAndWhichProxiesAppliedItsPolicies() {
        model.policy("ServiceLevelObjective/shop/orders-availability", slo("shop", "orders-availability", "orders"));
        model.configAck("orders-v1", ack("orders-v1", "orders-v1", "shop",
                Map.of("ServiceLevelObjective/shop/orders-availability", 2L)));
        model.configAck("orders-v2", ack("orders-v2", "orders-v2", "shop",
                Map.of("ServiceLevelObjective/shop/orders-availability", 1L)));
        model.alert("slo/shop/orders-availability/PAGE", alert("shop", "orders-availability", "orders", AlertState.FIRING, END));
        model.decision("ejection/orders/127.0.0.1:3", ejection("orders", "127.0.0.1:3", true, END));

        var detail = ServiceDetailBuilder.build(model, new ServiceRef("shop", "orders"), TimeWindow.ONE_MINUTE).orElseThrow();
        var policy = detail.getJsonArray("policies").getJsonObject(0);
        assertThat(policy.getLong("generation")).isEqualTo(2L);
        assertThat(policy.getJsonArray("ackedBy")).containsExactly("orders-v1");
        assertThat(policy.getJsonArray("behind")).containsExactly("orders-v2");
        var slo = detail.getJsonArray("slos").getJsonObject(0);
        assertThat(slo.getJsonArray("alerts").getJsonObject(0).getString("state")).isEqualTo("FIRING");
        assertThat(detail.getJsonArray("endpoints").stream().map(JsonObject.class::cast)
                .filter(e -> e.getBoolean("ejected")).map(e -> e.getString("workload"))).containsExactly("orders-v2");
        assertThat(detail.getJsonArray("series")).hasSize(6);
        assertThat(detail.getJsonArray("inbound")).hasSize(1);
        assertThat(detail.getJsonArray("outbound").getJsonObject(0).getString("target")).isEqualTo("svc:shop/inventory");
    }

    @Test
    void theServiceDetailShowsItsCanaryAsTheControllerLastReportedIt() {
        model.canary("shop/orders", canary(io.meshlog.schemas.v1.CanaryPhase.Progressing, 5, null));
        model.canary("shop/orders", canary(io.meshlog.schemas.v1.CanaryPhase.Failed, 0,
                io.meshlog.schemas.v1.CanaryRollbackReason.newBuilder().setMetric("request-success-rate")
                        .setValue(80.0).setThreshold(99.0).setRequests(20).build()));

        var canaries = ServiceDetailBuilder.build(model, new ServiceRef("shop", "orders"), TimeWindow.ONE_MINUTE)
                .orElseThrow().getJsonArray("canaries");
        var inventory = ServiceDetailBuilder.build(model, new ServiceRef("shop", "inventory"), TimeWindow.ONE_MINUTE)
                .orElseThrow().getJsonArray("canaries");

        assertThat(canaries).hasSize(1);
        var c = canaries.getJsonObject(0);
        assertThat(c.getString("phase")).isEqualTo("Failed");
        assertThat(c.getInteger("weight")).isZero();
        assertThat(c.getJsonObject("rollbackReason").getString("metric")).isEqualTo("request-success-rate");
        assertThat(c.getJsonObject("rollbackReason").getLong("requests")).isEqualTo(20L);
        assertThat(c.getJsonObject("canary").getDouble("successRate")).isEqualTo(80.0);
        assertThat(inventory).as("another service's detail").isEmpty();

        model.canary("shop/orders", null);
        assertThat(ServiceDetailBuilder.build(model, new ServiceRef("shop", "orders"), TimeWindow.ONE_MINUTE)
                .orElseThrow().getJsonArray("canaries")).as("deleted Canary").isEmpty();
    }

    private static io.meshlog.schemas.v1.CanaryStatus canary(io.meshlog.schemas.v1.CanaryPhase phase, int weight,
            io.meshlog.schemas.v1.CanaryRollbackReason reason) {
        var canary = io.meshlog.schemas.v1.CanaryStepMetrics.newBuilder().setRequests(20).setFailures(4)
                .setSuccessRate(80.0).setP99Millis(12.0).build();
        var stable = io.meshlog.schemas.v1.CanaryStepMetrics.newBuilder().setRequests(80).setFailures(0)
                .setSuccessRate(100.0).setP99Millis(10.0).build();
        return io.meshlog.schemas.v1.CanaryStatus.newBuilder().setNamespace("shop").setName("orders").setService("orders")
                .setStableSubset("v1").setCanarySubset("v2").setPhase(phase).setCanaryGeneration(1).setStep(0)
                .setSteps(4).setCanaryWeight(weight).setFailedChecks(reason == null ? 0 : 1).setRouteGeneration(3)
                .setRouteAcknowledged(true).setStepStartedAt(END).setCanary(canary).setStable(stable)
                .setRollbackReason(reason).setUpdatedAt(END).build();
    }

    @Test
    void anUnknownServiceHasNoDetail() {
        assertThat(ServiceDetailBuilder.build(model, new ServiceRef("shop", "nope"), TimeWindow.ONE_MINUTE)).isEmpty();
    }

    private static JsonObject node(JsonObject graph, String id) {
        return graph.getJsonArray("nodes").stream().map(JsonObject.class::cast)
                .filter(n -> n.getString("id").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + id + " in " + graph.getJsonArray("nodes")));
    }

    private static JsonObject link(JsonObject graph, String id) {
        return graph.getJsonArray("edges").stream().map(JsonObject.class::cast)
                .filter(n -> n.getString("id").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no edge " + id + " in " + graph.getJsonArray("edges")));
    }
}
