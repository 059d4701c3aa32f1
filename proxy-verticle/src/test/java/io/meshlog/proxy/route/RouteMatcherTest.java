package io.meshlog.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.proxy.fault.FaultPolicy;
import io.meshlog.proxy.resilience.RetryPolicy;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RouteMatcherTest {
    private final RouteMatcher matcher = new RouteMatcher(bound -> 0);

    private static RouteRule rule(String name, RequestMatch... matches) {
        return new RouteRule(name, List.of(matches), List.of(new RouteDestination("orders", name, 100)),
                Duration.ZERO, RetryPolicy.DEFAULT, FaultPolicy.NONE);
    }

    private static MultiMap headers(String... pairs) {
        var headers = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < pairs.length; i += 2) {
            headers.add(pairs[i], pairs[i + 1]);
        }
        return headers;
    }

    @Test
    void firstMatchingRouteWinsEvenWhenALaterOneAlsoMatches() {
        // Given
        var canary = rule("canary", new RequestMatch(null, null, Map.of("x-canary-user", new StringMatcher.Exact("true", false))));
        var catchAll = rule("all");
        // When
        var chosen = matcher.match(List.of(canary, catchAll), "GET", "/orders", headers("x-canary-user", "true"));
        // Then
        assertThat(chosen.name()).isEqualTo("canary");
        assertThat(matcher.match(List.of(canary, catchAll), "GET", "/orders", headers()).name()).isEqualTo("all");
    }

    @Test
    void matchesPathExactPrefixAndRegex() {
        var exact = rule("exact", new RequestMatch(new StringMatcher.Exact("/a", false), null, Map.of()));
        var prefix = rule("prefix", new RequestMatch(new StringMatcher.Prefix("/api/", false), null, Map.of()));
        var regex = rule("regex", new RequestMatch(new StringMatcher.Regex(Pattern.compile("/items/[0-9]+")), null, Map.of()));
        var routes = List.of(exact, prefix, regex);

        assertThat(matcher.match(routes, "GET", "/a", headers()).name()).isEqualTo("exact");
        assertThat(matcher.match(routes, "GET", "/api/x", headers()).name()).isEqualTo("prefix");
        assertThat(matcher.match(routes, "GET", "/items/42", headers()).name()).isEqualTo("regex");
        assertThat(matcher.match(routes, "GET", "/items/x", headers())).isNull();
        assertThat(matcher.match(routes, "GET", "/ab", headers())).isNull();
    }

    @Test
    void matchesMethodAndHeaderPrefixRegexAndPresence() {
        var post = rule("post", new RequestMatch(null, new StringMatcher.Exact("POST", false), Map.of()));
        var tenant = rule("tenant", new RequestMatch(null, null, Map.of(
                "x-tenant", new StringMatcher.Prefix("acme-", false),
                "x-debug", new StringMatcher.Present(true))));
        var agent = rule("agent", new RequestMatch(null, null, Map.of("user-agent", new StringMatcher.Regex(Pattern.compile(".*curl.*")))));
        var absent = rule("absent", new RequestMatch(null, null, Map.of("x-debug", new StringMatcher.Present(false))));
        var routes = List.of(post, tenant, agent, absent);

        assertThat(matcher.match(routes, "POST", "/", headers()).name()).isEqualTo("post");
        assertThat(matcher.match(routes, "GET", "/", headers("x-tenant", "acme-1", "x-debug", "1")).name()).isEqualTo("tenant");
        assertThat(matcher.match(routes, "GET", "/", headers("x-tenant", "acme-1", "user-agent", "curl/8", "x-debug", "")).name())
                .isEqualTo("tenant");
        assertThat(matcher.match(routes, "GET", "/", headers("x-tenant", "other", "user-agent", "curl/8", "x-debug", "1")).name())
                .isEqualTo("agent");
        assertThat(matcher.match(routes, "GET", "/", headers()).name()).isEqualTo("absent");
        assertThat(matcher.match(routes, "GET", "/", headers("x-debug", "1"))).isNull();
    }

    @Test
    void anyOfSeveralMatchBlocksSelectsTheRoute() {
        var either = rule("either",
                new RequestMatch(new StringMatcher.Prefix("/a", false), null, Map.of()),
                new RequestMatch(new StringMatcher.Prefix("/b", false), null, Map.of()));
        assertThat(matcher.match(List.of(either), "GET", "/b/1", headers())).isNotNull();
        assertThat(matcher.match(List.of(either), "GET", "/c", headers())).isNull();
    }

    @Test
    void ignoreUriCaseMatchesPathsInAnyCase() {
        var route = rule("r", new RequestMatch(new StringMatcher.Prefix("/API", true), null, Map.of()));
        assertThat(matcher.match(List.of(route), "GET", "/api/v1", headers())).isNotNull();
    }

    @Test
    void weightedPickFollowsTheRollAcrossDestinations() {
        var route = new RouteRule("split", List.of(), List.of(new RouteDestination("orders", "v1", 90),
                new RouteDestination("orders", "v2", 10)), Duration.ZERO, RetryPolicy.DEFAULT, FaultPolicy.NONE);
        assertThat(new RouteMatcher(bound -> 0).pick(route).subset()).isEqualTo("v1");
        assertThat(new RouteMatcher(bound -> 89).pick(route).subset()).isEqualTo("v1");
        assertThat(new RouteMatcher(bound -> 90).pick(route).subset()).isEqualTo("v2");
        assertThat(new RouteMatcher(bound -> 99).pick(route).subset()).isEqualTo("v2");
    }
}
