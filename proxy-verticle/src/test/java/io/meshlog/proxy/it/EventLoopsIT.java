package io.meshlog.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.proxy.http.ForwardPathProbe;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code proxy.concurrency: 2}: two event loops serve the outbound listener's port at once. The
 * upstream holds every request until all of them have arrived, so the replies can only come when
 * requests were in flight on both loops together; each loop's requests are counted on
 * {@code /metrics}, which the admin verticle renders on its own worker thread.
 */
class EventLoopsIT {
    private static final int CLIENTS = 4;
    private static final Pattern LOOP_COUNT = Pattern.compile(
            "meshlog_proxy_event_loop_requests_total\\{listener=\"outbound\",loop=\"(\\d+)\"} (\\d+)\\.0");

    private final ProxyHarness proxy = new ProxyHarness();

    @AfterEach
    void stop() throws Exception {
        proxy.close();
    }

    @Test
    void twoEventLoopsServeTheOutboundListenerConcurrently() throws Exception {
        // Given
        var upstream = proxy.upstream("orders-v1");
        var held = new CopyOnWriteArrayList<HttpServerRequest>();
        upstream.behave(request -> {
            held.add(request);
            if (held.size() == CLIENTS) {
                held.forEach(r -> r.response().end("released"));
            }
        });
        proxy.start("""
                proxy: {id: p1, workload: frontend, concurrency: 2}
                listeners:
                  outbound: {port: 0}
                  admin: {port: 0}
                services:
                  - name: orders
                    endpoints: [{port: %d, workload: orders-v1}]
                """.formatted(upstream.port()), Clock.systemUTC());
        Set<String> loopThreads = ConcurrentHashMap.newKeySet();
        proxy.verticle.forwardPathProbe((step, ctx) -> {
            if (step == ForwardPathProbe.Step.TRIES) {
                loopThreads.add(Thread.currentThread().getName());
            }
        });

        // When: one connection per client (HTTP/1.1 does not multiplex), all waiting on the upstream
        var replies = new ArrayList<CompletableFuture<ProxyHarness.Reply>>();
        for (int i = 0; i < CLIENTS; i++) {
            replies.add(proxy.send("GET", proxy.verticle.outboundPort(), "orders", "/o/" + i, Map.of(), null));
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

        // Then
        assertThat(replies).allSatisfy(reply -> assertThat(reply.join().status()).isEqualTo(200));
        assertThat(loopThreads).hasSize(2).allSatisfy(name -> assertThat(name).startsWith("vert.x-eventloop-thread"));
        var perLoop = perLoopCounts(proxy.admin("/metrics").body());
        assertThat(perLoop).hasSize(2).allSatisfy(count -> assertThat(count).isPositive());
        assertThat(perLoop.stream().mapToLong(Long::longValue).sum()).isEqualTo(CLIENTS);
    }

    @Test
    void theLoopsAndTheAdminPortStopWithTheProxy() throws Exception {
        // Given
        var upstream = proxy.upstream("orders-v1");
        proxy.start("""
                proxy: {id: p1, workload: frontend, concurrency: 2}
                listeners:
                  outbound: {port: 0}
                  admin: {port: 0}
                services:
                  - name: orders
                    endpoints: [{port: %d, workload: orders-v1}]
                """.formatted(upstream.port()), Clock.systemUTC());
        assertThat(proxy.get("orders", "/").status()).isEqualTo(200);

        assertThat(proxy.vertx.deploymentIDs()).hasSize(3); // the proxy, its loops, its admin port

        // When: the proxy's own deployment is undeployed
        ProxyHarness.await(proxy.vertx.undeploy(proxy.verticle.deploymentID()));

        // Then
        assertThat(proxy.vertx.deploymentIDs()).isEmpty();
        for (int port : new int[] {proxy.verticle.outboundPort(), proxy.verticle.adminPort()}) {
            assertThat(proxy.send("GET", port, "orders", "/", Map.of(), null))
                    .failsWithin(java.time.Duration.ofSeconds(10));
        }
    }

    private static List<Long> perLoopCounts(String metrics) {
        var counts = new ArrayList<Long>();
        var matcher = LOOP_COUNT.matcher(metrics);
        while (matcher.find()) {
            counts.add(Long.parseLong(matcher.group(2)));
        }
        return counts;
    }
}
