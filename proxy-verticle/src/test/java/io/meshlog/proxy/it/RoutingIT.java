package io.meshlog.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RoutingIT {
    private static ProxyHarness proxy;
    private static TestUpstream v1;
    private static TestUpstream v2;

    static String routes(int v1Weight, int v2Weight) {
        return routes(v1Weight, v2Weight, "");
    }

    static String routes(int v1Weight, int v2Weight, String splitExtra) {
        return """
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                    - name: canary
                      match: [{headers: {x-canary-user: {exact: "true"}}}]
                      route: [{destination: {host: reviews, subset: v2}}]
                    - name: split%s
                      route:
                        - {destination: {host: reviews, subset: v1}, weight: %d}
                        - {destination: {host: reviews, subset: v2}, weight: %d}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec:
                  host: reviews
                  subsets:
                    - {name: v1, labels: {version: v1}}
                    - {name: v2, labels: {version: v2}}
                """.formatted(splitExtra, v1Weight, v2Weight);
    }

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyHarness();
        v1 = proxy.upstream("reviews-v1");
        v2 = proxy.upstream("reviews-v2");
        var bootstrap = """
                proxy: {id: routing-proxy, workload: productpage}
                listeners:
                  outbound: {port: 0}
                  admin: {port: 0}
                services:
                  - name: reviews
                    endpoints:
                      - {port: %d, labels: {version: v1}, workload: reviews-v1}
                      - {port: %d, labels: {version: v2}, workload: reviews-v2}
                """.formatted(v1.port(), v2.port()) + routes(90, 10);
        proxy.start(bootstrap, Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @Test
    void weightedSplitHoldsWithinThreePointsOver2000Requests() throws Exception {
        // When
        var replies = proxy.getMany("reviews", "/reviews/1", Map.of(), 2000, 50);
        // Then
        assertThat(replies).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        long toV2 = replies.stream().filter(r -> "reviews-v2".equals(r.header("x-upstream"))).count();
        assertThat(toV2 * 100.0 / 2000).isBetween(7.0, 13.0);
    }

    @Test
    void canaryHeaderAlwaysGoesToTheCanary() throws Exception {
        var replies = proxy.getMany("reviews", "/reviews/1", Map.of("x-canary-user", "true"), 200, 20);
        assertThat(replies).allSatisfy(r -> assertThat(r.header("x-upstream")).isEqualTo("reviews-v2"));
    }

    @Test
    void newPolicyStateChangesRoutingWithoutRestart() throws Exception {
        try {
            // When
            proxy.applyPolicies(routes(0, 100));
            // Then
            var replies = proxy.getMany("reviews", "/", Map.of(), 50, 10);
            assertThat(replies).allSatisfy(r -> assertThat(r.header("x-upstream")).isEqualTo("reviews-v2"));
            assertThat(proxy.admin("/config_dump").body()).contains("\"weight\" : 100");
        } finally {
            proxy.applyPolicies(routes(90, 10));
        }
    }

    @Test
    void stickyWeightsKeepEveryCanaryUserOnTheCanaryWhileTheWeightGrows() throws Exception {
        var sticky = "\n      stickyWeights: {header: x-user}";
        try {
            // Given
            proxy.applyPolicies(routes(80, 20, sticky));
            var before = canaryUsers(400);
            // When
            proxy.applyPolicies(routes(50, 50, sticky));
            // Then
            var after = canaryUsers(400);
            assertThat(after).containsAll(before);
            assertThat(before.size() / 4.0).isBetween(13.0, 27.0);
            assertThat(after.size() / 4.0).isBetween(42.0, 58.0);
            assertThat(canaryUsers(400)).as("the same users again").isEqualTo(after);
        } finally {
            proxy.applyPolicies(routes(90, 10));
        }
    }

    /** Users u0..u(n-1), one request each: those that reached v2. */
    private static java.util.Set<String> canaryUsers(int users) throws Exception {
        var out = new java.util.TreeSet<String>();
        for (int u = 0; u < users; u++) {
            var reply = proxy.get("reviews", "/", Map.of("x-user", "u" + u));
            assertThat(reply.status()).isEqualTo(200);
            if ("reviews-v2".equals(reply.header("x-upstream"))) {
                out.add("u" + u);
            }
        }
        return out;
    }

    @Test
    void unknownHostGets404NoRoute() throws Exception {
        var reply = proxy.get("nowhere", "/");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.header("x-response-flags")).isEqualTo("NR");
    }

    @Test
    void forwardProxyAbsoluteFormUriRoutesByItsHostNotTheHostHeader() throws Exception {
        // Given: the client sends "GET http://reviews/x" with Host: 127.0.0.1:<port>, as HTTP_PROXY clients do
        var client = java.net.http.HttpClient.newBuilder().proxy(java.net.ProxySelector.of(
                new java.net.InetSocketAddress("127.0.0.1", proxy.verticle.outboundPort()))).build();
        var reply = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://reviews/x?y=1"))
                .header("x-canary-user", "true").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.headers().firstValue("x-upstream")).contains("reviews-v2");
        assertThat(reply.headers().firstValue("x-seen-host")).contains("reviews");
    }

    @Test
    void requestIdIsGeneratedWhenAbsentAndKeptWhenGiven() throws Exception {
        var generated = proxy.get("reviews", "/", Map.of("x-canary-user", "true"));
        assertThat(generated.header("x-seen-request-id")).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(generated.header("x-seen-host")).isEqualTo("reviews");
        assertThat(generated.header("x-seen-traceparent")).startsWith("00-");
        var kept = proxy.get("reviews", "/", Map.of("x-canary-user", "true", "x-request-id", "abc-123"));
        assertThat(kept.header("x-seen-request-id")).isEqualTo("abc-123");
    }

    @Test
    void h2cRequestsAreProxied() throws Exception {
        var client = proxy.vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
        try {
            var reply = ProxyHarness.await(client.request(new RequestOptions().setHost("127.0.0.1")
                            .setPort(proxy.verticle.outboundPort()).setURI("/h2"))
                    .compose(request -> request.authority(io.vertx.core.net.HostAndPort.create("reviews", 80))
                            .putHeader("x-canary-user", "true").send())
                    .compose(response -> response.body().map(b -> response.version() + " " + response.statusCode() + " " + b)));
            assertThat(reply).isEqualTo("HTTP_2 200 reviews-v2");
        } finally {
            client.close();
        }
    }
}
