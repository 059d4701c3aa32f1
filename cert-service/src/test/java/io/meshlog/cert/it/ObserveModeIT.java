package io.meshlog.cert.it;

import static io.meshlog.cert.it.SecureProxies.endpoint;
import static io.meshlog.cert.it.SecureProxies.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.proxy.identity.SpiffeId;
import io.meshlog.proxy.security.MaterialFeed;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.WouldHave;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's observe-only mode with real proxies and real mTLS: namespace {@code default} in
 * OBSERVE lets a failing endpoint, an over-limit caller, a denied caller and a plaintext caller under
 * STRICT through as the app sent them, and counts each would-have decision exactly on telemetry and
 * metrics; the same traffic after the switch to ENFORCE is ejected, limited, denied and refused.
 */
class ObserveModeIT {
    private static final SpiffeId ORDERS = MeshFixture.id("default", "order-service");
    private static final SpiffeId GATEWAY = MeshFixture.id("default", "api-gateway");
    private static final SpiffeId LOADGEN = MeshFixture.id("default", "loadgen");
    private static final SpiffeId REPORTING = MeshFixture.id("default", "reporting");

    @Test
    void observeLetsEverythingThroughAndCountsWhatEnforcementWouldHaveDoneThenEnforceDoesIt() throws Exception {
        var events = new CopyOnWriteArrayList<RequestTelemetry>();
        var ca = TestMaterial.root("mesh");
        try (var proxies = new SecureProxies(events::add)) {
            var badHits = new AtomicInteger();
            var good = SecureProxies.await(proxies.vertx.createHttpServer()
                    .requestHandler(r -> r.response().end("good")).listen(0, "127.0.0.1"));
            var bad = SecureProxies.await(proxies.vertx.createHttpServer().requestHandler(r -> {
                badHits.incrementAndGet();
                r.response().setStatusCode(500).end("bad");
            }).listen(0, "127.0.0.1"));
            var app = proxies.app();
            var orders = proxies.server("order-service", new MaterialFeed(TestMaterial.issue(ca, ORDERS, ca)),
                    app.actualPort());
            var toOrders = List.of(endpoint("order-service", orders, ORDERS.uri()));
            var inventory = List.of(
                    new Endpoint("inventory", "127.0.0.1", good.actualPort(), Map.of("app", "inventory"), "inventory", ""),
                    new Endpoint("inventory", "127.0.0.1", bad.actualPort(), Map.of("app", "inventory"), "inventory", ""));
            var gateway = proxies.caller("api-gateway", new MaterialFeed(TestMaterial.issue(ca, GATEWAY, ca)), inventory);
            var loadgen = proxies.caller("loadgen", new MaterialFeed(TestMaterial.issue(ca, LOADGEN, ca)), toOrders);
            var reporting = proxies.caller("reporting", new MaterialFeed(TestMaterial.issue(ca, REPORTING, ca)), toOrders);
            var all = List.of(orders, gateway, loadgen, reporting);
            for (var proxy : all) {
                proxy.policies(policies("OBSERVE"));
            }
            var plaintext = proxies.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
            int ordersPort = orders.verticle.inboundPort();

            // When: the failing endpoint, the over-limit caller, the denied caller, the plaintext caller
            var inventoryStatuses = statuses(gateway, "inventory", 4);
            var loadgenStatuses = statuses(loadgen, "order-service", 3);
            var reportingStatuses = statuses(reporting, "order-service", 2);
            var plaintextStatuses = List.of(get(plaintext, ordersPort), get(plaintext, ordersPort));

            // Then: every request went as the app sent it (the failing endpoint's 500 is its own answer)
            assertThat(inventoryStatuses).containsExactlyInAnyOrder(200, 200, 500, 500);
            assertThat(badHits).as("no retry was made").hasValue(2);
            assertThat(loadgenStatuses).containsOnly(200);
            assertThat(reportingStatuses).containsOnly(200);
            assertThat(plaintextStatuses).containsOnly(200);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events).as("SOURCE and DESTINATION reports").hasSize(4 + 2 * 3 + 2 * 2 + 2));
            assertThat(events).allSatisfy(e -> assertThat(e.getObserve()).isTrue());
            assertThat(count(events, "api-gateway-proxy", WouldHave.RETRY)).isEqualTo(2);
            assertThat(count(events, "api-gateway-proxy", WouldHave.EJECT)).as("the second request to the ejected endpoint")
                    .isEqualTo(1);
            assertThat(count(events, "loadgen-proxy", WouldHave.RATE_LIMIT)).isEqualTo(2);
            assertThat(count(events, "order-service-proxy", WouldHave.DENY)).as("reporting twice, plaintext twice")
                    .isEqualTo(4);
            assertThat(count(events, "order-service-proxy", WouldHave.REFUSE_PLAINTEXT)).isEqualTo(2);
            assertThat(events).filteredOn(e -> e.getProxyId().equals("order-service-proxy"))
                    .allSatisfy(e -> assertThat(e.getProxyNamespace()).isEqualTo("default"));
            assertThat(would(gateway, "retry")).isEqualTo(2.0);
            assertThat(would(gateway, "eject")).isEqualTo(1.0);
            assertThat(would(loadgen, "rate_limit")).isEqualTo(2.0);
            assertThat(would(orders, "deny")).isEqualTo(4.0);
            assertThat(would(orders, "refuse_plaintext")).isEqualTo(2.0);
            assertThat(would(orders, "overflow")).isZero();

            // When: the namespace switches to ENFORCE
            events.clear();
            for (var proxy : all) {
                proxy.policies(policies("ENFORCE"));
            }

            // Then: the same traffic is ejected, limited, denied and refused, and nothing is a would-have
            assertThat(statuses(gateway, "inventory", 4)).as("the failing endpoint stays ejected").containsOnly(200);
            assertThat(badHits).hasValue(2);
            assertThat(statuses(loadgen, "order-service", 3)).containsOnly(429);
            assertThat(statuses(reporting, "order-service", 2)).containsOnly(403);
            assertThatThrownBy(() -> get(plaintext, ordersPort)).as("STRICT refuses the plaintext connection");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events).as("limited at the caller, denied at the callee, plaintext refused before HTTP").hasSize(4 + 3 + 2 * 2));
            assertThat(events).allSatisfy(e -> {
                assertThat(e.getObserve()).isFalse();
                assertThat(e.getWouldHave()).isEmpty();
            });
            assertThat(would(orders, "deny")).as("unchanged").isEqualTo(4.0);
        }
    }

    private static String[] policies(String mode) {
        return new String[] {"""
                {"apiVersion": "meshlog.io/v1", "kind": "MeshMode", "metadata": {"namespace": "default", "name": "default"},
                 "spec": {"mode": "%s"}}""".formatted(mode), """
                {"apiVersion": "security.istio.io/v1", "kind": "PeerAuthentication",
                 "metadata": {"namespace": "default", "name": "default"}, "spec": {"mtls": {"mode": "STRICT"}}}""", """
                {"apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy",
                 "metadata": {"namespace": "default", "name": "orders-callers"},
                 "spec": {"selector": {"matchLabels": {"app": "order-service"}}, "action": "ALLOW",
                  "rules": [{"from": [{"source": {"principals": ["cluster.local/ns/default/sa/loadgen"]}}]}]}}""", """
                {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
                 "metadata": {"namespace": "default", "name": "order-service"},
                 "spec": {"hosts": ["order-service"], "http": [{"name": "orders",
                  "route": [{"destination": {"host": "order-service"}}]}]}}""", """
                {"apiVersion": "meshlog.io/v1", "kind": "RateLimitPolicy", "metadata": {"namespace": "default", "name": "loadgen"},
                 "spec": {"selector": {"matchLabels": {"app": "loadgen"}}, "routes": ["orders"],
                  "tokenBucket": {"maxTokens": 1, "tokensPerFill": 1, "fillInterval": "1h"}}}""", """
                {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
                 "metadata": {"namespace": "default", "name": "inventory"},
                 "spec": {"hosts": ["inventory"], "http": [{"name": "inventory",
                  "route": [{"destination": {"host": "inventory"}}],
                  "retries": {"attempts": 1, "retryOn": "5xx"}}]}}""", """
                {"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule",
                 "metadata": {"namespace": "default", "name": "inventory"},
                 "spec": {"host": "inventory", "trafficPolicy": {"loadBalancer": {"simple": "ROUND_ROBIN"},
                  "outlierDetection": {"consecutive5xxErrors": 1, "interval": "1s", "baseEjectionTime": "5m",
                   "maxEjectionPercent": 50}}}}"""};
    }

    private static List<Integer> statuses(SecureProxies.Proxy caller, String host, int times) throws Exception {
        var statuses = new ArrayList<Integer>();
        for (int i = 0; i < times; i++) {
            statuses.add(caller.call(host, "/x", Map.of()).statusCode());
        }
        return statuses;
    }

    private static int get(HttpClientAgent client, int port) throws Exception {
        return SecureProxies.await(client.request(HttpMethod.GET, port, "127.0.0.1", "/x")
                .compose(r -> r.send()).compose(r -> r.body().map(b -> r.statusCode())));
    }

    private static long count(List<RequestTelemetry> events, String proxyId, WouldHave decision) {
        return events.stream().filter(e -> e.getProxyId().equals(proxyId) && e.getWouldHave().contains(decision)).count();
    }

    private static double would(SecureProxies.Proxy proxy, String decision) throws Exception {
        var line = samples(proxy.metrics(), "meshlog_proxy_observe_would_total").stream()
                .filter(l -> l.contains("decision=\"" + decision + "\"")).findFirst().orElseThrow();
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
