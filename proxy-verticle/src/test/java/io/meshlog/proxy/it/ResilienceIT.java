package io.meshlog.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.schemas.v1.ResponseFlag;
import io.meshlog.testsupport.MutableClock;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ResilienceIT {
    private static final MutableClock CLOCK = new MutableClock();
    private static ProxyHarness proxy;
    private static TestUpstream flakyBad;
    private static TestUpstream flakyGood;
    private static TestUpstream stormA;
    private static TestUpstream stormB;
    private static TestUpstream slow;
    private static TestUpstream pooled;
    private static TestUpstream ejectBad;
    private static TestUpstream ejectGood;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyHarness();
        flakyBad = proxy.upstream("flaky-bad");
        flakyBad.answer(503);
        flakyGood = proxy.upstream("flaky-good");
        stormA = proxy.upstream("storm-a");
        stormB = proxy.upstream("storm-b");
        for (var storm : new TestUpstream[] {stormA, stormB}) {
            storm.behave(request -> proxy.vertx.setTimer(100, id -> request.response().setStatusCode(503).end()));
        }
        slow = proxy.upstream("slow");
        slow.behave(request -> proxy.vertx.setTimer(3000, id -> request.response().end("late")));
        pooled = proxy.upstream("pooled");
        pooled.behave(request -> proxy.vertx.setTimer(1000, id -> request.response().end("pooled")));
        ejectBad = proxy.upstream("eject-bad");
        ejectBad.answer(500);
        ejectGood = proxy.upstream("eject-good");
        proxy.start("""
                proxy: {id: resilience-proxy, workload: frontend}
                listeners:
                  outbound: {port: 0}
                  admin: {port: 0}
                services:
                  - {name: flaky, endpoints: [{port: %d}, {port: %d}]}
                  - {name: storm, endpoints: [{port: %d}, {port: %d}]}
                  - {name: slow, endpoints: [{port: %d}]}
                  - {name: pooled, endpoints: [{port: %d}]}
                  - {name: eject, endpoints: [{port: %d, workload: eject-bad}, {port: %d, workload: eject-good}]}
                  - {name: faulty, endpoints: [{port: %d}]}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: faulty}
                spec:
                  hosts: [faulty]
                  http:
                    - name: abort
                      match: [{uri: {prefix: /abort}}]
                      fault: {abort: {percentage: {value: 100}, httpStatus: 418}}
                      route: [{destination: {host: faulty}}]
                    - name: delay
                      fault: {delay: {percentage: {value: 100}, fixedDelay: 200ms}}
                      route: [{destination: {host: faulty}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: flaky}
                spec:
                  hosts: [flaky]
                  http: [{retries: {attempts: 2, retryOn: [5xx]}, route: [{destination: {host: flaky}}]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: flaky}
                spec: {host: flaky, trafficPolicy: {outlierDetection: {consecutive5xxErrors: 0}}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: storm}
                spec:
                  hosts: [storm]
                  http: [{retries: {attempts: 5, retryOn: [5xx]}, route: [{destination: {host: storm}}]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: storm}
                spec: {host: storm, trafficPolicy: {outlierDetection: {consecutive5xxErrors: 0}}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: slow}
                spec:
                  hosts: [slow]
                  http: [{timeout: 300ms, route: [{destination: {host: slow}}]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: pooled}
                spec:
                  host: pooled
                  trafficPolicy: {connectionPool: {tcp: {maxConnections: 1}, http: {http1MaxPendingRequests: 1, http2MaxRequests: 2}}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: eject}
                spec:
                  hosts: [eject]
                  http: [{retries: {attempts: 0}, route: [{destination: {host: eject}}]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: eject}
                spec:
                  host: eject
                  trafficPolicy:
                    outlierDetection: {consecutive5xxErrors: 3, baseEjectionTime: 30s, maxEjectionPercent: 50}
                """.formatted(flakyBad.port(), flakyGood.port(), stormA.port(), stormB.port(), slow.port(), pooled.port(),
                ejectBad.port(), ejectGood.port(), flakyGood.port()), CLOCK);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @Test
    void getThatGets503FromOneEndpointIsRetriedAndSucceedsOnAnother() throws Exception {
        // When
        var replies = proxy.getMany("flaky", "/", Map.of(), 20, 1);
        // Then
        assertThat(replies).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("x-upstream")).isEqualTo("flaky-good");
        });
        assertThat(flakyBad.hits.get()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void postIsNotRetried() throws Exception {
        int badBefore = flakyBad.hits.get();
        int failed = 0;
        for (int i = 0; i < 10; i++) {
            var reply = proxy.post("flaky", "/orders", "{\"amount\": 10}");
            if (reply.status() == 503) {
                failed++;
                assertThat(reply.header("x-upstream")).isEqualTo("flaky-bad");
            }
        }
        assertThat(failed).isGreaterThan(0);
        assertThat(flakyBad.hits.get() - badBefore).isEqualTo(failed);
    }

    @Test
    void retryStormAgainstAnAllFailingServiceIsCappedByTheLocalBudget() throws Exception {
        // Given: 100 concurrent GETs, each allowed 5 retries: 600 tries without a budget
        var requests = new ArrayList<CompletableFuture<ProxyHarness.Reply>>();
        // When
        for (int i = 0; i < 100; i++) {
            requests.add(proxy.send("GET", proxy.verticle.outboundPort(), "storm", "/", Map.of(), null));
        }
        CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        // Then
        assertThat(requests).allSatisfy(r -> assertThat(r.join().status()).isEqualTo(503));
        int tries = stormA.hits.get() + stormB.hits.get();
        assertThat(tries).isBetween(100, 200);
        var storm = proxy.cluster("storm");
        assertThat(storm.getJsonObject("retryBudget").getLong("refused")).isPositive();
        assertThat(proxy.telemetry.events()).anySatisfy(e -> {
            assertThat(e.getDestinationService()).isEqualTo("storm");
            assertThat(e.getRetrySuppressed()).isTrue();
            assertThat(e.getResponseFlags()).contains(ResponseFlag.URX);
        });
    }

    @Test
    void slowUpstreamGives504UtAtTheRouteTimeout() throws Exception {
        long start = System.nanoTime();
        var reply = proxy.get("slow", "/");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(reply.status()).isEqualTo(504);
        assertThat(reply.header("x-response-flags")).isEqualTo("UT");
        assertThat(millis).isBetween(280L, 2500L);
    }

    @Test
    void poolOverflowGives503UoAtOnce() throws Exception {
        var requests = new ArrayList<CompletableFuture<ProxyHarness.Reply>>();
        var answeredAt = new ArrayList<CompletableFuture<Long>>();
        long start = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            var request = proxy.send("GET", proxy.verticle.outboundPort(), "pooled", "/", Map.of(), null);
            requests.add(request);
            answeredAt.add(request.thenApply(r -> (System.nanoTime() - start) / 1_000_000));
        }
        CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        var overflowed = new ArrayList<Long>();
        int ok = 0;
        for (int i = 0; i < requests.size(); i++) {
            var reply = requests.get(i).join();
            if (reply.status() == 503) {
                assertThat(reply.header("x-response-flags")).isEqualTo("UO");
                overflowed.add(answeredAt.get(i).join());
            } else {
                assertThat(reply.status()).isEqualTo(200);
                ok++;
            }
        }
        assertThat(ok).isPositive();
        assertThat(overflowed).isNotEmpty().allSatisfy(ms -> assertThat(ms).isLessThan(900L));
        assertThat(proxy.cluster("pooled").getLong("overflows")).isPositive();
    }

    @Test
    void endpointReturning5xxIsEjectedGetsNoTrafficAndReturnsAfterTheEjectionTime() throws Exception {
        // When: round robin sends every other request to the bad endpoint
        proxy.getMany("eject", "/", Map.of(), 6, 1);
        // Then: three 500s in a row eject it
        assertThat(ejectBad.hits.get()).isEqualTo(3);
        var bad = proxy.clusterEndpoint("eject", "eject-bad");
        assertThat(bad.getString("health")).isEqualTo("ejected");
        assertThat(bad.getJsonObject("ejection").getJsonObject("local").getString("reason")).isEqualTo("3 consecutive 5xx");
        var whileEjected = proxy.getMany("eject", "/", Map.of(), 20, 1);
        assertThat(whileEjected).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(ejectBad.hits.get()).isEqualTo(3);
        // When the ejection time has passed
        CLOCK.advance(Duration.ofSeconds(30));
        proxy.getMany("eject", "/", Map.of(), 4, 1);
        // Then it gets traffic again
        assertThat(ejectBad.hits.get()).isGreaterThan(3);
        assertThat(proxy.clusterEndpoint("eject", "eject-bad").getString("health")).isEqualTo("healthy");
    }

    @Test
    void faultInjectionAbortsWithTheStatusAndDelaysTheRest() throws Exception {
        var aborted = proxy.get("faulty", "/abort");
        assertThat(aborted.status()).isEqualTo(418);
        assertThat(aborted.header("x-response-flags")).isEqualTo("FI");
        long start = System.nanoTime();
        var delayed = proxy.get("faulty", "/slowly");
        assertThat(delayed.status()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(190L);
        assertThat(delayed.header("x-response-flags")).isEqualTo("DI");
    }
}
