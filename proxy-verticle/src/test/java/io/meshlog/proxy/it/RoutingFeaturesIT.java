package io.meshlog.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Istio's routing fields on a real proxy with real upstreams, from Istio-shaped documents in the
 * static bootstrap: header operations, rewrite, redirect, query-parameter and source-label
 * matches, destination.port, and consistent-hash stickiness (with an ejected owner's keys moving
 * to the next endpoint on the ring).
 */
class RoutingFeaturesIT {
    private static ProxyHarness proxy;
    private static String bootstrap;
    private static TestUpstream reviews;
    private static TestUpstream reviewsAdmin;
    private static final List<TestUpstream> STICKY = new ArrayList<>();

    private static final String POLICIES = """
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
                - name: moved
                  match: [{uri: {prefix: /old/}}]
                  redirect: {uri: /new, authority: ratings:9080, redirectCode: 302}
                - name: admin-port
                  match: [{uri: {prefix: /admin}}]
                  route: [{destination: {host: reviews, port: {number: 9090}}}]
                - name: from-productpage
                  match: [{sourceLabels: {app: productpage}, queryParams: {variant: {exact: blue}}}]
                  rewrite: {uri: /v2/, authority: reviews.internal}
                  headers:
                    request: {set: {x-route: from-productpage}, add: {x-trace: route}, remove: [x-internal]}
                    response: {set: {x-served-by: meshlog}, remove: [x-upstream-secret]}
                  route:
                    - destination: {host: reviews, port: {number: 9080}}
                      headers: {request: {add: {x-trace: destination}}}
                - name: from-ratings
                  match: [{sourceLabels: {app: ratings}}]
                  route: [{destination: {host: nowhere}}]
                - name: rest
                  route: [{destination: {host: reviews, port: {number: 9080}}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: sticky}
            spec:
              host: sticky
              trafficPolicy:
                loadBalancer: {consistentHash: {httpHeaderName: x-user}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: ejecting}
            spec:
              host: ejecting
              trafficPolicy:
                loadBalancer: {consistentHash: {httpHeaderName: x-user}}
                outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 5m, maxEjectionPercent: 50}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: cookies}
            spec:
              host: cookies
              trafficPolicy:
                loadBalancer: {consistentHash: {httpCookie: {name: pin, path: /, ttl: 1h}}}
            """;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyHarness();
        reviews = proxy.upstream("reviews-main");
        reviews.behave(RoutingFeaturesIT::echo);
        reviewsAdmin = proxy.upstream("reviews-admin");
        reviewsAdmin.behave(RoutingFeaturesIT::echo);
        var sticky = new StringBuilder();
        var cookies = new StringBuilder();
        var ejecting = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            var upstream = proxy.upstream("sticky-" + i);
            STICKY.add(upstream);
            sticky.append("      - {port: %d, workload: sticky-%d}\n".formatted(upstream.port(), i));
            cookies.append("      - {port: %d, workload: sticky-%d}\n".formatted(upstream.port(), i));
            ejecting.append("      - {port: %d, workload: sticky-%d}\n".formatted(upstream.port(), i));
        }
        bootstrap = """
                proxy: {id: features-proxy, workload: productpage-v1, labels: {app: productpage, version: v1}}
                listeners:
                  outbound: {port: 0}
                  admin: {port: 0}
                services:
                  - name: reviews
                    endpoints:
                      - {port: %d, servicePort: 9080, workload: reviews-main}
                      - {port: %d, servicePort: 9090, workload: reviews-admin}
                  - name: sticky
                    endpoints:
                %s  - name: cookies
                    endpoints:
                %s  - name: ejecting
                    endpoints:
                %s""".formatted(reviews.port(), reviewsAdmin.port(), sticky, cookies, ejecting) + POLICIES;
        proxy.start(bootstrap, Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    /** 200 naming the upstream, with what it received. */
    private static void echo(HttpServerRequest request) {
        request.body().onComplete(body -> request.response()
                .putHeader("x-upstream", request.localAddress().port() == reviews.port() ? "reviews-main" : "reviews-admin")
                .putHeader("x-seen-uri", request.uri())
                .putHeader("x-seen-host", String.valueOf(request.getHeader("host")))
                .putHeader("x-seen-route", String.valueOf(request.getHeader("x-route")))
                .putHeader("x-seen-trace", String.join(",", request.headers().getAll("x-trace")))
                .putHeader("x-seen-internal", String.valueOf(request.getHeader("x-internal")))
                .putHeader("x-upstream-secret", "s3cret")
                .end("ok"));
    }

    @Test
    void matchingRouteRewritesUriAndAuthorityAndEditsHeadersBothWays() throws Exception {
        // When
        var reply = proxy.get("reviews", "/api/items?variant=blue&page=2",
                Map.of("x-internal", "drop-me", "x-trace", "app", "x-route", "app"));
        // Then
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("x-upstream")).isEqualTo("reviews-main");
        assertThat(reply.header("x-seen-uri")).isEqualTo("/v2/api/items?variant=blue&page=2");
        assertThat(reply.header("x-seen-host")).isEqualTo("reviews.internal");
        assertThat(reply.header("x-seen-route")).isEqualTo("from-productpage");
        assertThat(reply.header("x-seen-trace")).isEqualTo("app,destination,route");
        assertThat(reply.header("x-seen-internal")).isEqualTo("null");
        assertThat(reply.header("x-served-by")).isEqualTo("meshlog");
        assertThat(reply.header("x-upstream-secret")).isNull();
    }

    @Test
    void aQueryParameterThatDoesNotMatchFallsThroughUntouched() throws Exception {
        var reply = proxy.get("reviews", "/api/items?variant=red", Map.of("x-internal", "kept"));
        assertThat(reply.header("x-seen-uri")).isEqualTo("/api/items?variant=red");
        assertThat(reply.header("x-seen-internal")).isEqualTo("kept");
        assertThat(reply.header("x-upstream-secret")).isEqualTo("s3cret");
    }

    @Test
    void aRouteForAnotherSourceWorkloadNeverMatchesInThisSidecar() throws Exception {
        // "from-ratings" would send everything to an unknown host (503); this sidecar is productpage's
        var reply = proxy.get("reviews", "/anything");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("x-upstream")).isEqualTo("reviews-main");
    }

    @Test
    void redirectIsAnsweredByTheProxyWithoutCallingUpstream() throws Exception {
        int before = reviews.hits.get() + reviewsAdmin.hits.get();
        var reply = proxy.get("reviews", "/old/page?x=1");
        assertThat(reply.status()).isEqualTo(302);
        assertThat(reply.header("location")).isEqualTo("http://ratings:9080/new?x=1");
        assertThat(reviews.hits.get() + reviewsAdmin.hits.get()).isEqualTo(before);
    }

    @Test
    void configDumpShowsTheRoutingFields() throws Exception {
        var dump = new io.vertx.core.json.JsonObject(proxy.admin("/config_dump").body());
        var routes = dump.getJsonObject("routes").getJsonObject("reviews").getJsonArray("routes");
        assertThat(routes.getJsonObject(0).getJsonObject("redirect").getInteger("redirectCode")).isEqualTo(302);
        assertThat(routes.getJsonObject(2).getJsonObject("rewrite").getString("uri")).isEqualTo("/v2/");
        assertThat(routes.getJsonObject(2).getJsonArray("destinations").getJsonObject(0).getInteger("port")).isEqualTo(9080);
        assertThat(dump.getJsonObject("clusters").getJsonObject("sticky").getJsonObject("consistentHash").getString("key"))
                .isEqualTo("HEADER");
    }

    @Test
    void destinationPortSendsToTheEndpointsOfThatServicePortOnly() throws Exception {
        var admin = proxy.getMany("reviews", "/admin/stats", Map.of(), 20, 5);
        var rest = proxy.getMany("reviews", "/other", Map.of(), 20, 5);
        assertThat(admin).allSatisfy(r -> assertThat(r.header("x-upstream")).isEqualTo("reviews-admin"));
        assertThat(rest).allSatisfy(r -> assertThat(r.header("x-upstream")).isEqualTo("reviews-main"));
    }

    private static String stickyUpstream(String user) throws Exception {
        return stickyUpstream(proxy, user);
    }

    private static String stickyUpstream(ProxyHarness through, String user) throws Exception {
        return pinned(through, "sticky", user);
    }

    private static String pinned(ProxyHarness through, String host, String user) throws Exception {
        var replies = through.getMany(host, "/", Map.of("x-user", user), 20, 5);
        var upstreams = replies.stream().map(r -> r.header("x-upstream")).distinct().toList();
        assertThat(upstreams).as("one upstream for " + user).hasSize(1);
        return upstreams.get(0);
    }

    @Test
    void consistentHashPinsAKeyAndMovesItToTheNextEndpointWhenItsOwnerIsEjected() throws Exception {
        // Given: every user is pinned, and the users spread over the endpoints
        var owners = new java.util.HashMap<String, String>();
        for (int u = 0; u < 12; u++) {
            owners.put("user-" + u, pinned(proxy, "ejecting", "user-" + u));
        }
        assertThat(owners.values().stream().distinct().count()).isGreaterThan(1);
        var owner = owners.get("user-0");
        var failing = STICKY.stream().filter(s -> s.name.equals(owner)).findFirst().orElseThrow();
        try {
            // When: the owner fails and is ejected
            failing.answer(503);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                proxy.get("ejecting", "/", Map.of("x-user", "user-0"));
                assertThat(proxy.admin("/clusters").body()).contains("\"ejectedBy\" : \"local\"");
            });
            // Then: the key moves to one other endpoint, and the other users stay where they were
            var next = pinned(proxy, "ejecting", "user-0");
            assertThat(next).isNotEqualTo(owner);
            owners.forEach((user, was) -> {
                if (!was.equals(owner)) {
                    try {
                        assertThat(pinned(proxy, "ejecting", user)).as(user).isEqualTo(was);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
        } finally {
            failing.behave(failing::ok);
        }
    }

    @Test
    void anotherProxyWithTheSameEndpointsSendsEveryKeyToTheSameEndpoint() throws Exception {
        try (var other = new ProxyHarness()) {
            // Given: a second caller's sidecar (the ring is built from the endpoints alone)
            other.start(bootstrap.replace("id: features-proxy, workload: productpage-v1", "id: other-proxy, workload: details-v1"),
                    Clock.systemUTC());
            for (int u = 100; u < 110; u++) {
                // When / Then
                assertThat(stickyUpstream(other, "user-" + u)).as("user-" + u).isEqualTo(stickyUpstream("user-" + u));
            }
        }
    }

    @Test
    void aCookieHashGeneratesThePinCookieWhenTheRequestHasNone() throws Exception {
        var first = proxy.get("cookies", "/");
        var setCookie = first.header("set-cookie");
        assertThat(setCookie).matches("pin=[0-9a-f]{16}; Path=/; Max-Age=3600; HttpOnly");
        var pin = setCookie.substring(0, setCookie.indexOf(';'));
        var replies = proxy.getMany("cookies", "/", Map.of("cookie", pin), 20, 5);
        assertThat(replies).allSatisfy(r -> {
            assertThat(r.header("x-upstream")).isEqualTo(first.header("x-upstream"));
            assertThat(r.header("set-cookie")).isNull();
        });
    }
}
