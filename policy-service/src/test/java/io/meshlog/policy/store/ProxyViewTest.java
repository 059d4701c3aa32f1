package io.meshlog.policy.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.schemas.v1.ConfigAck;
import io.meshlog.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyViewTest {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final Duration EXPIRY = Duration.ofSeconds(90);

    private final MutableClock clock = new MutableClock(T0);
    private final ProxyView view = new ProxyView(clock, EXPIRY);

    @Test
    void aTombstoneRemovesTheProxyAtOnce() {
        view.apply("p1", ack("p1"), T0);
        view.apply("p1", null, T0);

        assertThat(view.all()).isEmpty();
    }

    @Test
    void aProxySilentForLongerThanTheExpiryLeavesTheView() {
        view.apply("p1", ack("p1"), T0);
        view.apply("p2", ack("p2"), T0.plusSeconds(60));

        clock.set(T0.plus(EXPIRY));
        assertThat(view.all()).as("exactly at the expiry: still live").extracting(ConfigAck::getProxyId)
                .containsExactly("p1", "p2");

        clock.set(T0.plus(EXPIRY).plusMillis(1));
        assertThat(view.all()).extracting(ConfigAck::getProxyId).containsExactly("p2");
    }

    @Test
    void aHeartbeatKeepsTheProxyLive() {
        view.apply("p1", ack("p1"), T0);
        view.apply("p1", ack("p1"), T0.plusSeconds(60));

        clock.set(T0.plusSeconds(120));
        assertThat(view.all()).extracting(ConfigAck::getProxyId).containsExactly("p1");
    }

    private static ConfigAck ack(String proxyId) {
        return ConfigAck.newBuilder().setProxyId(proxyId).setWorkload("reviews").setNamespace("default")
                .setSnapshotVersion(1).setGenerations(Map.of()).setAppliedAt(T0).build();
    }
}
