package io.meshlog.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RouteActionsTest {
    private static RequestMatch uri(StringMatcher matcher) {
        return new RequestMatch(matcher, null, Map.of());
    }

    @Test
    void prefixRewriteReplacesOnlyTheMatchedPrefixAndKeepsTheQuery() {
        var rewrite = new Rewrite("/v2/", null, null, null);
        assertThat(rewrite.apply("/api/items/1?x=y", uri(new StringMatcher.Prefix("/api/", false)))).isEqualTo("/v2/items/1?x=y");
        assertThat(rewrite.apply("/old", uri(new StringMatcher.Exact("/old", false)))).isEqualTo("/v2/");
        assertThat(rewrite.apply("/any/path", null)).isEqualTo("/v2/any/path");
    }

    @Test
    void regexRewriteReplacesEveryMatchAndTakesRe2GroupReferences() {
        var rewrite = new Rewrite(null, Pattern.compile("^/items/([0-9]+)$"), Rewrite.javaReplacement("/item/\\1/detail"), null);
        assertThat(rewrite.apply("/items/42?full=1", null)).isEqualTo("/item/42/detail?full=1");
        var all = new Rewrite(null, Pattern.compile("-"), Rewrite.javaReplacement("_$"), null);
        assertThat(all.apply("/a-b-c", null)).isEqualTo("/a_$b_$c");
    }

    @Test
    void redirectReplacesTheGivenPartsOfTheUrl() {
        assertThat(new Redirect("/new", null, null, 0, 301).location("reviews:9080", "/old?x=1"))
                .isEqualTo("http://reviews:9080/new?x=1");
        assertThat(new Redirect(null, "ratings", "https", 0, 302).location("reviews:9080", "/p"))
                .isEqualTo("https://ratings/p");
        assertThat(new Redirect("/n?y=2", null, "https", 8443, 308).location("reviews:9080", "/p?x=1"))
                .isEqualTo("https://reviews:8443/n?y=2");
    }

    @Test
    void queryParametersAreReadDecodedAndFirstValueWins() {
        assertThat(QueryParams.first("a=1&user=j%20d&user=x", "user")).isEqualTo("j d");
        assertThat(QueryParams.first("flag&b=2", "flag")).isEmpty();
        assertThat(QueryParams.first("ab=1", "a")).isNull();
        assertThat(QueryParams.first(null, "a")).isNull();
    }

    @Test
    void headerOperationsRemoveThenSetThenAdd() {
        var headers = MultiMap.caseInsensitiveMultiMap().add("x-a", "1").add("x-a", "2").add("x-gone", "g").add("x-b", "b");
        new HeaderOps(Map.of("x-a", "set"), Map.of("x-b", "more", "x-gone", "again"), List.of("x-gone")).apply(headers);
        assertThat(headers.getAll("x-a")).containsExactly("set");
        assertThat(headers.getAll("x-b")).containsExactly("b", "more");
        assertThat(headers.getAll("x-gone")).containsExactly("again");
    }

    private final RouteMatcher matcher = new RouteMatcher(bound -> 0);

    private static RouteRule rule(String name, RequestMatch match) {
        return new RouteRule(name, List.of(match), List.of(new RouteDestination("orders", null, 100)),
                java.time.Duration.ZERO, io.meshlog.proxy.resilience.RetryPolicy.DEFAULT, io.meshlog.proxy.fault.FaultPolicy.NONE);
    }

    private RouteRule match(List<RouteRule> routes, String query, String authority, MultiMap headers) {
        return matcher.match(routes, new RouteMatcher.Request("GET", "/", query,
                io.vertx.core.net.HostAndPort.parseAuthority(authority, -1), headers));
    }

    @Test
    void queryAuthorityPortWithoutHeadersAndSourceLabelsEachRestrictAMatch() {
        var none = MultiMap.caseInsensitiveMultiMap();
        var query = rule("query", new RequestMatch(null, null, Map.of(), Map.of("v", new StringMatcher.Exact("2", false)),
                null, 0, Map.of(), true));
        var authority = rule("authority", new RequestMatch(null, null, Map.of(), Map.of(),
                new StringMatcher.Prefix("orders.shop", false), 0, Map.of(), true));
        var port = rule("port", new RequestMatch(null, null, Map.of(), Map.of(), null, 9090, Map.of(), true));
        var without = rule("without", new RequestMatch(null, null, Map.of(), Map.of(), null, 0,
                Map.of("x-debug", new StringMatcher.Present(true)), true));
        var otherSource = rule("other-source", new RequestMatch(null, null, Map.of(), Map.of(), null, 0, Map.of(), false));
        var routes = List.of(otherSource, query, authority, port, without);

        assertThat(match(routes, "v=2", "orders", none).name()).isEqualTo("query");
        assertThat(match(routes, "v=3", "orders.shop:80", none).name()).isEqualTo("authority");
        assertThat(match(routes, null, "orders:9090", none).name()).isEqualTo("port");
        assertThat(match(routes, null, "orders", none).name()).isEqualTo("without");
        assertThat(match(routes, null, "orders", MultiMap.caseInsensitiveMultiMap().add("x-debug", "1"))).isNull();
    }
}
