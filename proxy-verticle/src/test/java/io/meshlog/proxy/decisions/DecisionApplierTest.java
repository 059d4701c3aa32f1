package io.meshlog.proxy.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.proxy.resilience.ClusterEjections;
import io.meshlog.proxy.resilience.ClusterRetryBudgets;
import io.meshlog.proxy.resilience.EjectionSource;
import io.meshlog.proxy.resilience.EndpointState;
import io.meshlog.schemas.v1.Decision;
import io.meshlog.schemas.v1.Ejection;
import io.meshlog.schemas.v1.EjectionReason;
import io.meshlog.schemas.v1.EjectionScope;
import io.meshlog.schemas.v1.RetryBudgetState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionApplierTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final ClusterEjections ejections = new ClusterEjections(clock);
    private final ClusterRetryBudgets budgets = new ClusterRetryBudgets(clock);
    private final DecisionApplier applier = new DecisionApplier(ejections, budgets);
    private final EndpointState bad = new EndpointState(new Endpoint("orders", "127.0.0.1", 8081, Map.of(), "orders-v1", ""));

    @Test
    void anEjectionKeepsTheEndpointOutUntilItsEndWithTheReason() {
        var outcome = applier.apply("ejection/orders/127.0.0.1:8081", ejection(true, EjectionReason.CONSECUTIVE_5XX, 2));

        assertThat(outcome).isEqualTo(DecisionApplier.Outcome.EJECTED);
        var ejection = ejections.ejection("orders", bad);
        assertThat(ejection.side()).isEqualTo(EjectionSource.Side.CLUSTER);
        assertThat(ejection.reason()).contains("CONSECUTIVE_5XX").contains("5 in a row");
        assertThat(ejection.until()).isEqualTo(NOW.plusSeconds(4));
        assertThat(ejection.times()).isEqualTo(2);
    }

    @Test
    void theReturnOfAnEndpointOrATombstoneLiftsTheEjection() {
        applier.apply("ejection/orders/127.0.0.1:8081", ejection(true, EjectionReason.CONSECUTIVE_5XX, 1));
        assertThat(applier.apply("ejection/orders/127.0.0.1:8081", ejection(false, EjectionReason.EJECTION_EXPIRED, 1)))
                .isEqualTo(DecisionApplier.Outcome.RETURNED);
        assertThat(ejections.ejection("orders", bad)).isNull();

        applier.apply("ejection/orders/127.0.0.1:8081", ejection(true, EjectionReason.CONSECUTIVE_5XX, 1));
        assertThat(applier.apply("ejection/orders/127.0.0.1:8081", null)).isEqualTo(DecisionApplier.Outcome.RETURNED);
        assertThat(ejections.ejection("orders", bad)).isNull();
    }

    @Test
    void anotherProxysLocalEjectionIsNeverObeyed() {
        var local = ejection(true, EjectionReason.CONSECUTIVE_5XX, 1);
        ((Ejection) local.getPayload()).setScope(EjectionScope.LOCAL);
        ((Ejection) local.getPayload()).setProxyId("orders-v1-7");

        var outcome = applier.apply(LocalEjectionPublisher.key("orders-v1-7", "orders", "127.0.0.1:8081"), local);

        assertThat(outcome).isEqualTo(DecisionApplier.Outcome.IGNORED);
        assertThat(ejections.ejection("orders", bad)).isNull();
    }

    @Test
    void anEjectionThatHasAlreadyEndedIsNotInForce() {
        var old = ejection(true, EjectionReason.CONSECUTIVE_5XX, 1);
        ((Ejection) old.getPayload()).setUntil(NOW.minusSeconds(1));
        applier.apply("ejection/orders/127.0.0.1:8081", old);
        assertThat(ejections.ejection("orders", bad)).isNull();
    }

    @Test
    void retryBudgetStatesAndTheirTombstonesReachTheClusterBudgets() {
        var state = RetryBudgetState.newBuilder().setService("orders").setTtlMillis(10_000).setOriginalRequests(50)
                .setRetries(110).setAllowedRetries(110).setRemaining(0).setExhausted(true).setDecidedAt(NOW).build();
        assertThat(applier.apply("retry-budget/orders", Decision.newBuilder().setPayload(state).build()))
                .isEqualTo(DecisionApplier.Outcome.BUDGET);
        assertThat(budgets.tryAcquireRetry("orders")).isFalse();
        assertThat(budgets.state("orders").allowedRetries()).isEqualTo(110);
        assertThat(budgets.state("orders").originalRequests()).isEqualTo(50);
        assertThat(budgets.state("orders").decidedAt()).isEqualTo(NOW);

        assertThat(applier.apply("retry-budget/orders", null)).isEqualTo(DecisionApplier.Outcome.BUDGET_CLEARED);
        assertThat(budgets.tryAcquireRetry("orders")).isTrue();
    }

    @Test
    void recordsWithoutKeyOrOfUnknownKindsAreIgnored() {
        assertThat(applier.apply(null, ejection(true, EjectionReason.CONSECUTIVE_5XX, 1)))
                .isEqualTo(DecisionApplier.Outcome.IGNORED);
        assertThat(applier.apply("something/else", null)).isEqualTo(DecisionApplier.Outcome.IGNORED);
    }

    private static Decision ejection(boolean ejected, EjectionReason reason, int count) {
        return Decision.newBuilder().setPayload(Ejection.newBuilder().setService("orders").setEndpoint("127.0.0.1:8081")
                .setEjected(ejected).setReason(reason).setEjectionCount(count)
                .setUntil(ejected ? NOW.plus(Duration.ofSeconds(2L * count)) : null).setDecidedAt(NOW)
                .setDetail("5 in a row").build()).build();
    }
}
