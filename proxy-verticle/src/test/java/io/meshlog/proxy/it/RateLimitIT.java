package io.meshlog.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RateLimitIT {
    private static ProxyHarness proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyHarness();
        var app = proxy.upstream("app");
        var catalog = proxy.upstream("catalog");
        proxy.start("""
                proxy: {id: limited-proxy, workload: ratings, labels: {app: ratings}}
                listeners:
                  outbound: {port: 0}
                  inbound: {port: 0, appPort: %d}
                  admin: {port: 0}
                services:
                  - {name: catalog, endpoints: [{port: %d}]}
                ---
                apiVersion: meshlog.io/v1
                kind: RateLimitPolicy
                metadata: {name: ratings-inbound}
                spec:
                  selector: {matchLabels: {app: ratings}}
                  tokenBucket: {maxTokens: 10, tokensPerFill: 10, fillInterval: 100ms}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: catalog}
                spec:
                  hosts: [catalog]
                  http: [{name: catalog-route, route: [{destination: {host: catalog}}]}]
                ---
                apiVersion: meshlog.io/v1
                kind: RateLimitPolicy
                metadata: {name: catalog-shadow}
                spec:
                  routes: [catalog-route]
                  shadow: true
                  tokenBucket: {maxTokens: 2, tokensPerFill: 1, fillInterval: 1s}
                """.formatted(app.port(), catalog.port()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @Test
    void inboundListenerLimitsToTheConfiguredRateWithinTenPercent() throws Exception {
        // Given: 10 tokens per 100 ms = 100 requests per second, after a burst of 10
        int allowed = 0;
        int limited = 0;
        long start = System.nanoTime();
        long end = start + TimeUnit.MILLISECONDS.toNanos(2000);
        // When: four callers send as fast as they can for two seconds
        while (System.nanoTime() < end && allowed + limited < 40_000) {
            var batch = new ArrayList<CompletableFuture<ProxyHarness.Reply>>();
            for (int i = 0; i < 4; i++) {
                batch.add(proxy.send("GET", proxy.verticle.inboundPort(), "ratings", "/", Map.of(), null));
            }
            for (var reply : batch) {
                var r = reply.get(10, TimeUnit.SECONDS);
                if (r.status() == 200) {
                    allowed++;
                } else {
                    assertThat(r.status()).isEqualTo(429);
                    assertThat(r.header("x-ratelimited")).isEqualTo("true");
                    assertThat(r.header("x-response-flags")).isEqualTo("RL");
                    limited++;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // Then
        double rate = (allowed - 10) / seconds;
        assertThat(limited).isPositive();
        assertThat(rate).isBetween(90.0, 110.0);
    }

    @Test
    void shadowRouteLimitOnlyCounts() throws Exception {
        var replies = proxy.getMany("catalog", "/", Map.of(), 10, 1);
        assertThat(replies).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(proxy.admin("/metrics").body()).containsPattern("meshlog_proxy_ratelimit_shadow_limited_total [1-9]");
    }
}
