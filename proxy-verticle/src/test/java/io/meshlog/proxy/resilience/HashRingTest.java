package io.meshlog.proxy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.proxy.discovery.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HashRingTest {
    private static final HashPolicy BY_USER = new HashPolicy(HashPolicy.Key.HEADER, "x-user", null, null, 1024);
    private final Set<EndpointState> ejected = new HashSet<>();
    private final EndpointPicker picker = new EndpointPicker((service, endpoint) -> ejected.contains(endpoint)
            ? new Ejection(EjectionSource.Side.LOCAL, "test", Instant.EPOCH, Instant.MAX, 1) : null, bound -> 0);

    private static List<EndpointState> endpoints(int count) {
        var list = new ArrayList<EndpointState>();
        for (int i = 0; i < count; i++) {
            list.add(new EndpointState(new Endpoint("orders", "127.0.0.1", 9000 + i, Map.of(), "orders", "")));
        }
        return list;
    }

    private Map<String, String> placement(List<EndpointState> states, int keys) {
        var candidates = new Candidates(states, LbPolicy.RING_HASH, BY_USER);
        var placed = new HashMap<String, String>();
        for (int k = 0; k < keys; k++) {
            placed.put("user-" + k, picker.pick("orders", candidates, null, 0, HashRing.hash("user-" + k)).address());
        }
        return placed;
    }

    @Test
    void aKeyAlwaysGoesToTheSameEndpointAndKeysSpreadOverAll() {
        var states = endpoints(4);
        var first = placement(states, 2000);
        assertThat(placement(endpoints(4), 2000)).isEqualTo(first); // another proxy, same endpoints: same answers
        var perEndpoint = new HashMap<String, Integer>();
        first.values().forEach(address -> perEndpoint.merge(address, 1, Integer::sum));
        assertThat(perEndpoint).hasSize(4).allSatisfy((address, count) -> assertThat(count).isBetween(300, 700));
    }

    @Test
    void removingAnEndpointMovesItsKeysAndFewOthers() {
        var before = placement(endpoints(4), 2000);
        var after = placement(endpoints(4).subList(0, 3), 2000);
        int othersMoved = 0;
        int others = 0;
        for (var entry : before.entrySet()) {
            assertThat(after.get(entry.getKey())).isNotEqualTo("127.0.0.1:9003");
            if (!entry.getValue().equals("127.0.0.1:9003")) {
                others++;
                othersMoved += after.get(entry.getKey()).equals(entry.getValue()) ? 0 : 1;
            }
        }
        // as in Envoy, minimumRingSize is re-spread over the endpoints left, so a few other keys move too
        assertThat(othersMoved * 100.0 / others).isLessThan(20.0);
    }

    @Test
    void anEjectedOwnerHandsItsKeysToTheNextOnTheRingAndGetsThemBack() {
        var states = endpoints(4);
        var candidates = new Candidates(states, LbPolicy.RING_HASH, BY_USER);
        long hash = HashRing.hash("user-7");
        var owner = picker.pick("orders", candidates, null, 0, hash);
        ejected.add(owner);
        var fallback = picker.pick("orders", candidates, null, 0, hash);
        assertThat(fallback).isNotSameAs(owner);
        assertThat(picker.pick("orders", candidates, null, 0, hash)).isSameAs(fallback);
        assertThat(picker.pick("orders", candidates, fallback, 0, hash)).isNotIn(owner, fallback); // a retry walks on
        ejected.clear();
        assertThat(picker.pick("orders", candidates, null, 0, hash)).isSameAs(owner);
    }

    @Test
    void aRequestWithoutKeyIsBalancedAndTheRingHoldsTheMinimumSize() {
        var states = endpoints(3);
        var candidates = new Candidates(states, LbPolicy.RING_HASH, new HashPolicy(HashPolicy.Key.COOKIE, "s", "/",
                Duration.ofHours(1), 100));
        assertThat(picker.pick("orders", candidates, null, 0, EndpointPicker.NO_HASH)).isIn(states);
        assertThat(candidates.ring().size()).isEqualTo(102); // ceil(100 / 3) points per endpoint
    }
}
