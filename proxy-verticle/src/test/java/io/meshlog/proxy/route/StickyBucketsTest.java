package io.meshlog.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.proxy.fault.FaultPolicy;
import io.meshlog.proxy.resilience.RetryPolicy;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class StickyBucketsTest {
    private static final int USERS = 20_000;
    /** Random numbers must never be asked for when the request carries its key. */
    private final RouteMatcher matcher = new RouteMatcher(bound -> {
        throw new AssertionError("random roll for a request with a sticky key");
    });

    private static RouteRule split(int canaryWeight, StickyBuckets sticky) {
        return new RouteRule("split", List.of(), List.of(new RouteDestination("orders", "stable", 100 - canaryWeight),
                new RouteDestination("orders", "canary", canaryWeight)), Duration.ZERO, RetryPolicy.DEFAULT,
                FaultPolicy.NONE, RouteHeaders.NONE, null, null, null, sticky);
    }

    private TreeSet<Integer> canaryUsers(int weight, StickyBuckets sticky, boolean asCookie) {
        var out = new TreeSet<Integer>();
        var route = split(weight, sticky);
        for (int user = 0; user < USERS; user++) {
            var headers = MultiMap.caseInsensitiveMultiMap();
            if (asCookie) {
                headers.add("Cookie", "theme=dark; session=s-" + user + "; lang=en");
            } else {
                headers.add("X-User", "user-" + user);
            }
            if ("canary".equals(matcher.pick(route, headers).subset())) {
                out.add(user);
            }
        }
        return out;
    }

    @Test
    void theCanaryCohortMatchesEachWeightWithinOnePointAndOnlyGrows() {
        var sticky = new StickyBuckets("x-user", null);
        var previous = new TreeSet<Integer>();
        for (int weight : new int[] {1, 5, 10, 25, 50, 75, 100}) {
            // When
            var cohort = canaryUsers(weight, sticky, false);
            // Then
            assertThat(cohort.size() * 100.0 / USERS).as("share at weight %d", weight).isBetween(weight - 1.0, weight + 1.0);
            assertThat(cohort).as("users of the previous step at weight %d", weight).containsAll(previous);
            previous = cohort;
        }
    }

    @Test
    void aCookieValuePlacesTheUserTheSameWayOnEveryRequest() {
        var sticky = new StickyBuckets(null, "session");
        var first = canaryUsers(30, sticky, true);
        assertThat(canaryUsers(30, sticky, true)).isEqualTo(first);
        assertThat(first.size() * 100.0 / USERS).isBetween(29.0, 31.0);
    }

    @Test
    void rollingBackToZeroEmptiesTheCohort() {
        assertThat(canaryUsers(0, new StickyBuckets("x-user", null), false)).isEmpty();
    }

    @Test
    void aRequestWithoutTheKeyIsPlacedAtRandom() {
        var route = split(50, new StickyBuckets("x-user", null));
        assertThat(new RouteMatcher(bound -> 99).pick(route, MultiMap.caseInsensitiveMultiMap()).subset()).isEqualTo("canary");
        assertThat(new RouteMatcher(bound -> 0).pick(route, MultiMap.caseInsensitiveMultiMap()).subset()).isEqualTo("stable");
    }

    @Test
    void needsExactlyOneKey() {
        assertThatThrownBy(() -> new StickyBuckets(null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StickyBuckets("x-user", "session")).isInstanceOf(IllegalArgumentException.class);
    }
}
