package io.meshlog.proxy.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.proxy.resilience.Ejection;
import io.meshlog.proxy.resilience.EjectionSource;
import io.meshlog.proxy.resilience.LocalEjectionListener.Cause;
import io.meshlog.schemas.v1.EjectionReason;
import io.meshlog.schemas.v1.EjectionScope;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LocalEjectionPublisherTest {
    private static final Instant T = Instant.parse("2026-12-06T01:00:00Z");
    private final Ejection ejection = new Ejection(EjectionSource.Side.LOCAL, "5 consecutive gateway errors", T,
            T.plusSeconds(30), 2);

    @Test
    void anEjectionIsReportedAsLocalWithTheProxyTheCauseAndTheEnd() {
        var decision = LocalEjectionPublisher.decision("orders-v1-7", "inventory", "127.0.0.1:8083", ejection, true,
                Cause.CONSECUTIVE_GATEWAY_ERRORS, T);

        var reported = (io.meshlog.schemas.v1.Ejection) decision.getPayload();
        assertThat(reported.getScope()).isEqualTo(EjectionScope.LOCAL);
        assertThat(reported.getProxyId()).isEqualTo("orders-v1-7");
        assertThat(reported.getEjected()).isTrue();
        assertThat(reported.getReason()).isEqualTo(EjectionReason.CONSECUTIVE_GATEWAY_ERRORS);
        assertThat(reported.getDetail()).isEqualTo("5 consecutive gateway errors");
        assertThat(reported.getUntil()).isEqualTo(T.plusSeconds(30));
        assertThat(reported.getEjectionCount()).isEqualTo(2);
    }

    @Test
    void aReturnIsReportedAsNotEjectedAndExpired() {
        var decision = LocalEjectionPublisher.decision("orders-v1-7", "inventory", "127.0.0.1:8083", ejection, false,
                null, T.plusSeconds(30));

        var reported = (io.meshlog.schemas.v1.Ejection) decision.getPayload();
        assertThat(reported.getEjected()).isFalse();
        assertThat(reported.getReason()).isEqualTo(EjectionReason.EJECTION_EXPIRED);
        assertThat(reported.getUntil()).isNull();
        assertThat(reported.getScope()).isEqualTo(EjectionScope.LOCAL);
    }

    @Test
    void eachProxyHasItsOwnKeyPerEndpoint() {
        assertThat(LocalEjectionPublisher.key("orders-v1-7", "inventory", "127.0.0.1:8083"))
                .isEqualTo("local-ejection/orders-v1-7/inventory/127.0.0.1:8083");
    }
}
