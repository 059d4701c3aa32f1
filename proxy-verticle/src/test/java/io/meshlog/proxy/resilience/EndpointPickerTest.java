package io.meshlog.proxy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.proxy.discovery.Endpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class EndpointPickerTest {
    private final Set<EndpointState> ejected = new HashSet<>();
    private final EjectionSource ejections = (service, endpoint) -> ejected.contains(endpoint)
            ? new Ejection(EjectionSource.Side.LOCAL, "test", Instant.EPOCH, Instant.MAX, 1) : null;

    private static List<EndpointState> endpoints(int count) {
        var list = new ArrayList<EndpointState>();
        for (int i = 0; i < count; i++) {
            list.add(new EndpointState(new Endpoint("orders", "127.0.0.1", 9000 + i, Map.of(), "orders", "")));
        }
        return list;
    }

    @Test
    void roundRobinVisitsEveryEndpointInTurn() {
        var states = endpoints(3);
        var picker = new EndpointPicker(ejections, bound -> 0);
        var candidates = new Candidates(states, LbPolicy.ROUND_ROBIN);
        var picked = new ArrayList<EndpointState>();
        for (int i = 0; i < 6; i++) {
            picked.add(picker.pick("orders", candidates, null, 0));
        }
        assertThat(picked).containsExactly(states.get(0), states.get(1), states.get(2), states.get(0), states.get(1), states.get(2));
    }

    @Test
    void observingPicksAnEjectedEndpointInItsTurnAndSaysItIsEjected() {
        var states = endpoints(2);
        ejected.add(states.get(1));
        var picker = new EndpointPicker(ejections, bound -> 0);
        var candidates = new Candidates(states, LbPolicy.ROUND_ROBIN);

        var first = picker.pick("orders", candidates, null, 0, EndpointPicker.NO_HASH, false);
        var second = picker.pick("orders", candidates, null, 0, EndpointPicker.NO_HASH, false);

        assertThat(first).isSameAs(states.get(0));
        assertThat(second).isSameAs(states.get(1));
        assertThat(picker.ejected("orders", first)).isFalse();
        assertThat(picker.ejected("orders", second)).isTrue();
    }

    @Test
    void skipsEjectedEndpoints() {
        var states = endpoints(3);
        ejected.add(states.get(1));
        var picker = new EndpointPicker(ejections, bound -> ThreadLocalRandom.current().nextInt(bound));
        for (var lb : LbPolicy.values()) {
            var candidates = new Candidates(states, lb);
            for (int i = 0; i < 50; i++) {
                assertThat(picker.pick("orders", candidates, null, 0)).as(lb.name()).isNotSameAs(states.get(1));
            }
        }
    }

    @Test
    void retryAvoidsThePreviousEndpointWhenAnotherIsLeft() {
        var states = endpoints(2);
        var picker = new EndpointPicker(ejections, bound -> 0);
        for (var lb : LbPolicy.values()) {
            var candidates = new Candidates(states, lb);
            for (int i = 0; i < 10; i++) {
                assertThat(picker.pick("orders", candidates, states.get(0), 0)).as(lb.name()).isSameAs(states.get(1));
            }
        }
    }

    @Test
    void retryReusesTheOnlyEndpoint() {
        var states = endpoints(1);
        var picker = new EndpointPicker(ejections, bound -> 0);
        assertThat(picker.pick("orders", new Candidates(states, LbPolicy.ROUND_ROBIN), states.get(0), 0)).isSameAs(states.get(0));
    }

    @Test
    void leastRequestPrefersTheLessBusyOfTwo() {
        var states = endpoints(2);
        states.get(0).started();
        states.get(0).started();
        int[] rolls = {0, 1};
        int[] call = {0};
        var picker = new EndpointPicker(ejections, bound -> rolls[call[0]++ % 2]);
        assertThat(picker.pick("orders", new Candidates(states, LbPolicy.LEAST_REQUEST), null, 0)).isSameAs(states.get(1));
    }

    @Test
    void noHealthyEndpointGivesNoneWithoutPanicThreshold() {
        var states = endpoints(2);
        ejected.addAll(states);
        var picker = new EndpointPicker(ejections, bound -> 0);
        assertThat(picker.pick("orders", new Candidates(states, LbPolicy.ROUND_ROBIN), null, 0)).isNull();
    }

    @Test
    void panicModeRoutesToAllWhenHealthyShareFallsBelowMinHealthPercent() {
        var states = endpoints(4);
        ejected.addAll(states.subList(0, 3));
        var picker = new EndpointPicker(ejections, bound -> 0);
        var candidates = new Candidates(states, LbPolicy.ROUND_ROBIN);
        var picked = new HashSet<EndpointState>();
        for (int i = 0; i < 8; i++) {
            picked.add(picker.pick("orders", candidates, null, 50));
        }
        assertThat(picked).containsExactlyInAnyOrderElementsOf(states);
    }

    @Test
    void emptySubsetGivesNone() {
        var picker = new EndpointPicker(ejections, bound -> 0);
        assertThat(picker.pick("orders", Candidates.NONE, null, 0)).isNull();
    }
}
