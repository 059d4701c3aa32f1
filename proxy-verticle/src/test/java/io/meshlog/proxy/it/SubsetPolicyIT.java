package io.meshlog.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.testsupport.MutableClock;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Subset-level trafficPolicy and Istio's outlier-detection default on a real proxy: a subset's own
 * connectionPool and outlierDetection apply to that subset and not to its sibling; without any
 * DestinationRule nothing is ejected; a mesh-wide rule in the root namespace turns detection on for
 * services without a rule of their own.
 */
class SubsetPolicyIT {
    private static final MutableClock CLOCK = new MutableClock();
    private static final Map<String, String> TO_V1 = Map.of("x-subset", "v1");
    private static ProxyHarness proxy;
    private static TestUpstream slowV1;
    private static TestUpstream slowV2;
    private static TestUpstream badV1;
    private static TestUpstream badV2;
    private static TestUpstream bareBad;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyHarness();
        slowV1 = proxy.upstream("slow-v1");
        slowV2 = proxy.upstream("slow-v2");
        for (var slow : new TestUpstream[] {slowV1, slowV2}) {
            slow.behave(request -> proxy.vertx.setTimer(800, id -> request.response().end("slow")));
        }
        badV1 = proxy.upstream("bad-v1");
        badV1.answer(500);
        var goodV1 = proxy.upstream("good-v1");
        badV2 = proxy.upstream("bad-v2");
        badV2.answer(500);
        var goodV2 = proxy.upstream("good-v2");
        bareBad = proxy.upstream("bare-bad");
        bareBad.answer(500);
        var bareGood = proxy.upstream("bare-good");
        proxy.start("""
                proxy: {id: subset-proxy, workload: frontend}
                listeners:
                  outbound: {port: 0}
                  admin: {port: 0}
                services:
                  - name: tiered
                    endpoints:
                      - {port: %d, workload: slow-v1, labels: {version: v1}}
                      - {port: %d, workload: slow-v2, labels: {version: v2}}
                  - name: split
                    endpoints:
                      - {port: %d, workload: bad-v1, labels: {version: v1}}
                      - {port: %d, workload: good-v1, labels: {version: v1}}
                      - {port: %d, workload: bad-v2, labels: {version: v2}}
                      - {port: %d, workload: good-v2, labels: {version: v2}}
                  - {name: bare, endpoints: [{port: %d, workload: bare-bad}, {port: %d, workload: bare-good}]}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: tiered}
                spec:
                  host: tiered
                  subsets:
                    - name: v1
                      labels: {version: v1}
                      trafficPolicy:
                        connectionPool: {tcp: {maxConnections: 1}, http: {http1MaxPendingRequests: 1, http2MaxRequests: 1}}
                    - {name: v2, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: split}
                spec:
                  host: split
                  subsets:
                    - name: v1
                      labels: {version: v1}
                      trafficPolicy:
                        outlierDetection: {consecutive5xxErrors: 2, baseEjectionTime: 30s, maxEjectionPercent: 50}
                    - {name: v2, labels: {version: v2}}
                %s
                %s
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: bare}
                spec:
                  hosts: [bare]
                  http: [{retries: {attempts: 0}, route: [{destination: {host: bare}}]}]
                """.formatted(slowV1.port(), slowV2.port(), badV1.port(), goodV1.port(), badV2.port(), goodV2.port(),
                bareBad.port(), bareGood.port(), bySubsetHeader("tiered"), bySubsetHeader("split")), CLOCK);
    }

    /** v1 for requests with {@code x-subset: v1}, v2 for the rest; no retries. */
    private static String bySubsetHeader(String host) {
        return """
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: %1$s}
                spec:
                  hosts: [%1$s]
                  http:
                    - match: [{headers: {x-subset: {exact: v1}}}]
                      retries: {attempts: 0}
                      route: [{destination: {host: %1$s, subset: v1}}]
                    - retries: {attempts: 0}
                      route: [{destination: {host: %1$s, subset: v2}}]
                """.formatted(host);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @Test
    void aSubsetsConnectionPoolLimitsThatSubsetAndNotItsSibling() throws Exception {
        // When: four requests at once to each subset, each held 800 ms by its endpoint
        var v1 = concurrently("tiered", TO_V1, 4);
        var v2 = concurrently("tiered", Map.of(), 4);
        // Then: v1 admits one in flight (and none waiting beyond its pending limit); v2 has the defaults
        assertThat(v1).extracting(ProxyHarness.Reply::status).contains(200, 503);
        assertThat(v1).filteredOn(r -> r.status() == 503)
                .allSatisfy(r -> assertThat(r.header("x-response-flags")).isEqualTo("UO"));
        assertThat(v2).extracting(ProxyHarness.Reply::status).containsOnly(200);
        var subsets = proxy.cluster("tiered").getJsonObject("subsets");
        assertThat(subsets.getJsonObject("v1").getLong("overflows")).isPositive();
        assertThat(subsets.getJsonObject("v2").getLong("overflows")).isZero();
    }

    @Test
    void aSubsetsOutlierDetectionEjectsInThatSubsetOnly() throws Exception {
        // When: ten requests to each subset, each with one endpoint answering 500
        proxy.getMany("split", "/", TO_V1, 10, 1);
        proxy.getMany("split", "/", Map.of(), 10, 1);
        // Then: v1's failing endpoint is out after 2 errors in a row; v2 has no outlierDetection
        assertThat(badV1.hits.get()).isEqualTo(2);
        assertThat(proxy.clusterEndpoint("split", "bad-v1").getString("health")).isEqualTo("ejected");
        assertThat(proxy.clusterEndpoint("split", "bad-v1").getJsonObject("ejection").getJsonObject("local").getString("reason"))
                .isEqualTo("2 consecutive 5xx");
        assertThat(badV2.hits.get()).isEqualTo(5);
        assertThat(proxy.clusterEndpoint("split", "bad-v2").getString("health")).isEqualTo("healthy");
    }

    @Test
    void nothingIsEjectedWithoutADestinationRuleAsInIstio() throws Exception {
        // When: twenty requests, every other one to an endpoint answering 500
        var replies = proxy.getMany("bare", "/", Map.of(), 20, 1);
        // Then
        assertThat(replies).filteredOn(r -> r.status() == 500).hasSize(10);
        assertThat(bareBad.hits.get()).isEqualTo(10);
        assertThat(proxy.clusterEndpoint("bare", "bare-bad").getString("health")).isEqualTo("healthy");
    }

    @Test
    void aMeshWideRuleInTheRootNamespaceTurnsDetectionOnForServicesWithoutTheirOwn() throws Exception {
        // Given: a second proxy whose policies hold the mesh-wide rule; "owned" has a rule of its own without outlierDetection
        var mesh = new ProxyHarness();
        try {
            var ownedBad = mesh.upstream("owned-bad");
            ownedBad.answer(500);
            var plainBad = mesh.upstream("plain-bad");
            plainBad.answer(500);
            mesh.start("""
                    proxy: {id: mesh-wide-proxy, workload: frontend}
                    listeners:
                      outbound: {port: 0}
                      admin: {port: 0}
                    services:
                      - {name: plain, endpoints: [{port: %d, workload: plain-bad}, {port: %d, workload: plain-good}]}
                      - {name: owned, endpoints: [{port: %d, workload: owned-bad}, {port: %d, workload: owned-good}]}
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: DestinationRule
                    metadata: {name: mesh-default, namespace: meshlog-system}
                    spec:
                      host: "*.local"
                      trafficPolicy:
                        outlierDetection: {consecutive5xxErrors: 3, baseEjectionTime: 30s, maxEjectionPercent: 50}
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: DestinationRule
                    metadata: {name: owned}
                    spec: {host: owned, trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}}
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: plain}
                    spec:
                      hosts: [plain]
                      http: [{retries: {attempts: 0}, route: [{destination: {host: plain}}]}]
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: owned}
                    spec:
                      hosts: [owned]
                      http: [{retries: {attempts: 0}, route: [{destination: {host: owned}}]}]
                    """.formatted(plainBad.port(), mesh.upstream("plain-good").port(), ownedBad.port(),
                    mesh.upstream("owned-good").port()), new MutableClock());
            // When
            mesh.getMany("plain", "/", Map.of(), 12, 1);
            mesh.getMany("owned", "/", Map.of(), 12, 1);
            // Then: ejected by the mesh-wide rule after three 500s in a row; the service's own rule wins whole
            assertThat(plainBad.hits.get()).isEqualTo(3);
            assertThat(ownedBad.hits.get()).isEqualTo(6);
            var dump = new JsonObject(mesh.admin("/config_dump").body());
            assertThat(dump.getJsonObject("meshWideCluster").getString("source"))
                    .isEqualTo("DestinationRule/meshlog-system/mesh-default");
            assertThat(dump.getJsonArray("rejected")).isEmpty();
        } finally {
            mesh.close();
        }
    }

    private static java.util.List<ProxyHarness.Reply> concurrently(String host, Map<String, String> headers, int count)
            throws Exception {
        var requests = new ArrayList<CompletableFuture<ProxyHarness.Reply>>();
        for (int i = 0; i < count; i++) {
            requests.add(proxy.send("GET", proxy.verticle.outboundPort(), host, "/", headers, null));
        }
        CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        return requests.stream().map(CompletableFuture::join).toList();
    }
}
