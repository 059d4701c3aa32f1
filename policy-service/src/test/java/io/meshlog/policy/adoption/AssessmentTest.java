package io.meshlog.policy.adoption;

import static io.meshlog.policy.adoption.AdoptionFixtures.T0;
import static io.meshlog.policy.adoption.AdoptionFixtures.edge;
import static io.meshlog.policy.adoption.AdoptionFixtures.local;
import static io.meshlog.policy.adoption.AdoptionFixtures.reached;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshlog.schemas.v1.ResponseFlag;
import io.meshlog.schemas.v1.RequestTelemetry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssessmentTest {
    @Test
    void countsServicesThatReachedEachOtherNamingCallersByTheServiceTheyServe() {
        var telemetry = new ArrayList<RequestTelemetry>();
        telemetry.add(reached("loadgen", "api-gateway", "api-gateway-v1").build());
        telemetry.add(reached("api-gateway-v1", "orders", "orders-v1").build());
        telemetry.add(reached("api-gateway-v1", "orders", "orders-v2").build());
        telemetry.add(reached("orders-v2", "inventory", "inventory-3").setStatus(503).setResponseFlags(List.of()).build());
        telemetry.add(reached("orders-v2", "inventory", "inventory-1").setAttempt(2).setRetry(true).build());
        telemetry.add(reached("orders-v1", "payments", "payments-v1").build());
        telemetry.add(local("loadgen", "retired-service", ResponseFlag.NR, 404));
        telemetry.add(reached("orders-v1", "payments", "payments-v1").setAttempt(1).setStatus(0)
                .setResponseFlags(List.of(ResponseFlag.UF)).build());

        var assessment = Assessment.of(new WindowData(T0, Duration.ofMinutes(5), List.of(), telemetry, List.of()));

        assertThat(assessment.services()).containsExactly("api-gateway", "inventory", "loadgen", "orders", "payments");
        assertThat(assessment.paths()).extracting(p -> p.source() + "->" + p.destination())
                .containsExactly("api-gateway->orders", "loadgen->api-gateway", "orders->inventory", "orders->payments");
        assertThat(assessment.possiblePaths()).isEqualTo(20);
        assertThat(assessment.paths().get(2).amplification()).as("orders->inventory: 2 tries for 1 request").isEqualTo(2.0);
        assertThat(assessment.incidents()).containsEntry("retries", 1L).containsEntry("connect failures (UF)", 1L);
        assertThat(assessment.verdict()).isEqualTo(Assessment.Verdict.LIBRARIES_SUFFICE);
    }

    @Test
    void theVerdictFollowsTheFrameworksThresholds() {
        assertThat(verdictFor(14)).isEqualTo(Assessment.Verdict.LIBRARIES_SUFFICE);
        assertThat(verdictFor(15)).isEqualTo(Assessment.Verdict.DEPENDS_ON_INCIDENTS);
        assertThat(verdictFor(20)).isEqualTo(Assessment.Verdict.DEPENDS_ON_INCIDENTS);
        assertThat(verdictFor(21)).isEqualTo(Assessment.Verdict.MESH_PAYS_OFF);
    }

    @Test
    void sidecarCostComesFromTheProxiesHeartbeatsAndTheEdgesOverhead() {
        var proxies = List.of(new WindowData.ProxySample("a", "orders-v1", "shop", 0, 10.0, 80L << 20),
                new WindowData.ProxySample("a", "orders-v1", "shop", 60_000, 13.0, 96L << 20),
                new WindowData.ProxySample("b", "payments-v1", "shop", 0, 5.0, 64L << 20),
                new WindowData.ProxySample("b", "payments-v1", "shop", 60_000, 5.6, 64L << 20));
        var edges = List.of(edge("orders", "payments", 300, 3, 4000, 400), edge("api-gateway", "orders", 100, 0, 8000, 800));

        var assessment = Assessment.of(new WindowData(T0, Duration.ofMinutes(1), edges, List.of(), proxies));
        var text = new StringWriter();
        AssessmentReport.text(assessment, new PrintWriter(text));

        assertThat(assessment.cost().proxies()).isEqualTo(2);
        assertThat(assessment.cost().cpuCoresPerProxy()).as("median of 0.01 and 0.05 cores: the upper one")
                .isCloseTo(0.05, within(0.001));
        assertThat(assessment.cost().residentMbPerProxy()).isEqualTo(96.0);
        assertThat(assessment.cost().overheadP50Millis()).as("request-weighted").isCloseTo(0.5, within(0.01));
        assertThat(text.toString()).contains("2 proxies x 96 MB = 192 MB resident, 0.050 cores each");
    }

    private static Assessment.Verdict verdictFor(int services) {
        var telemetry = new ArrayList<RequestTelemetry>();
        for (int i = 1; i < services; i++) {
            telemetry.add(reached("svc-0", "svc-" + i, "svc-" + i + "-v1").build());
        }
        var assessment = Assessment.of(new WindowData(T0, Duration.ofMinutes(5), List.of(), telemetry, List.of()));
        assertThat(assessment.services()).hasSize(services);
        return assessment.verdict();
    }
}
