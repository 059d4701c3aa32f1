package io.meshlog.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.meshlog.proxy.discovery.HazelcastConfigs;
import io.meshlog.proxy.discovery.HazelcastSettings;
import io.meshlog.proxy.ratelimit.GlobalRateLimitSettings;
import io.meshlog.proxy.ratelimit.HazelcastGlobalRateCounter;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real proxies (one JVM, each with its own Hazelcast client) sharing RateLimitPolicy.global limits
 * through a real Hazelcast member on 127.0.0.1.
 */
class GlobalRateLimitIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final ScheduledExecutorService load = Executors.newScheduledThreadPool(2);
    private String cluster;
    private int memberPort;
    private HazelcastInstance member;

    @BeforeEach
    void startMember() throws Exception {
        cluster = "global-rl-" + UUID.randomUUID();
        try (var socket = new ServerSocket(0)) {
            memberPort = socket.getLocalPort();
        }
        member = Hazelcast.newHazelcastInstance(HazelcastConfigs.member(new HazelcastSettings(
                HazelcastSettings.Mode.EMBEDDED, cluster, List.of("127.0.0.1:" + memberPort), memberPort)));
    }

    @AfterEach
    void stopAll() throws Exception {
        load.shutdownNow();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        member.getLifecycleService().terminate();
    }

    /** A proxy of workload {@code app} whose inbound listener applies {@code policyYaml}, with its own Hazelcast client. */
    private ProxyHarness proxy(String id, String app, String policyYaml) throws Exception {
        var client = HazelcastClient.newHazelcastClient(HazelcastConfigs.client(
                HazelcastSettings.client(cluster, List.of("127.0.0.1:" + memberPort))));
        toClose.add(client::shutdown);
        var proxy = new ProxyHarness();
        toClose.add(proxy);
        var upstream = proxy.upstream(app);
        proxy.start("""
                proxy: {id: %s, workload: %s, namespace: shop, labels: {app: %s}}
                listeners:
                  inbound: {port: 0, appPort: %d}
                  admin: {port: 0}
                ---
                %s""".formatted(id, app, app, upstream.port(), policyYaml), Clock.systemUTC(),
                new HazelcastGlobalRateCounter(client, GlobalRateLimitSettings.DEFAULT.unavailableAfter()));
        return proxy;
    }

    private static String globalPolicy(String name, String app, int perSecond, String failureMode) {
        return """
                apiVersion: meshlog.io/v1
                kind: RateLimitPolicy
                metadata: {name: %s, namespace: shop}
                spec:
                  selector: {matchLabels: {app: %s}}
                  global: {requestsPerUnit: %d, unit: SECOND, failureMode: %s}
                """.formatted(name, app, perSecond, failureMode);
    }

    @Test
    void fiveProxiesWithSkewedTrafficAdmitTheGlobalLimitWithinTenPercentPerSecond() throws Exception {
        // Given: five proxies of one service sharing 100 requests per second
        var proxies = new ArrayList<ProxyHarness>();
        for (int i = 0; i < 5; i++) {
            proxies.add(proxy("ratings-" + i, "ratings", globalPolicy("ratings-global", "ratings", 100, "FAIL_OPEN")));
        }
        // When: 200 requests per second arrive, 80% of them at the first proxy
        double[] perSecond = {160, 10, 10, 10, 10};
        var sent = new AtomicLong();
        sendFor(proxies, perSecond, Duration.ofSeconds(3), sent).get(30, TimeUnit.SECONDS); // converge
        await().atMost(TIMEOUT).untilAsserted(() -> {
            for (var proxy : proxies) {
                assertThat(clusters(proxy).getInteger("peers")).isEqualTo(5);
            }
        });
        long[] before = admitted(proxies);
        long start = System.nanoTime();
        sendFor(proxies, perSecond, Duration.ofSeconds(6), sent).get(30, TimeUnit.SECONDS);
        long[] after = admitted(proxies);
        double seconds = (System.nanoTime() - start) / 1e9;

        // Then: the proxies' own counts add up to the limit, within 10%
        long total = 0;
        for (int i = 0; i < 5; i++) {
            total += after[i] - before[i];
        }
        double rate = total / seconds;
        assertThat(rate).as("admitted per second over %.1f s, per proxy %s", seconds, diff(after, before))
                .isBetween(90.0, 110.0);
        // and the busy proxy holds most of the limit, as its demand says
        assertThat((after[0] - before[0]) / seconds).isBetween(60.0, 95.0);
        assertThat(clusters(proxies.get(0)).getString("counters")).isEqualTo("reachable");
    }

    @Test
    void whenHazelcastStopsFailOpenAdmitsAndFailClosedRefusesVisiblyInClustersAndMetrics() throws Exception {
        // Given: one proxy whose global limit fails open, one whose limit fails closed, both within their limits
        var open = proxy("open-0", "search", globalPolicy("search-global", "search", 1000, "FAIL_OPEN"));
        var closed = proxy("closed-0", "payments", globalPolicy("payments-global", "payments", 1000, "FAIL_CLOSED"));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(clusters(open).getString("counters")).isEqualTo("reachable");
            assertThat(clusters(closed).getString("counters")).isEqualTo("reachable");
        });
        assertThat(statuses(open, 5)).containsOnly(200);
        assertThat(statuses(closed, 5)).containsOnly(200);

        // When: the Hazelcast member stops
        member.getLifecycleService().terminate();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(clusters(open).getString("counters")).isEqualTo("unreachable");
            assertThat(clusters(closed).getString("counters")).isEqualTo("unreachable");
        });

        // Then: fail-open admits everything, fail-closed refuses everything with 429 RL
        assertThat(statuses(open, 20)).containsOnly(200);
        assertThat(statuses(closed, 20)).containsOnly(429);
        assertThat(clusters(open).getString("applying")).isEqualTo("FAIL_OPEN");
        assertThat(clusters(closed).getString("applying")).isEqualTo("FAIL_CLOSED");
        assertThat(clusters(closed).getLong("millisSinceLastExchange"))
                .isGreaterThan(GlobalRateLimitSettings.DEFAULT.unavailableAfter().toMillis());
        assertThat(open.admin("/metrics").body()).contains(
                "meshlog_proxy_ratelimit_global_unavailable{failure_mode=\"FAIL_OPEN\",policy=\"RateLimitPolicy/shop/search-global\"} 1.0")
                .containsPattern("meshlog_proxy_ratelimit_global_failure_mode_requests_total\\{failure_mode=\"FAIL_OPEN\",policy=\"RateLimitPolicy/shop/search-global\"} [1-9]");
        assertThat(closed.admin("/metrics").body()).contains(
                "meshlog_proxy_ratelimit_global_unavailable{failure_mode=\"FAIL_CLOSED\",policy=\"RateLimitPolicy/shop/payments-global\"} 1.0");
    }

    /** The proxy's first (only) global limit in {@code /clusters}. */
    private static JsonObject clusters(ProxyHarness proxy) throws Exception {
        var limits = new JsonObject(proxy.admin("/clusters").body()).getJsonArray("globalRateLimits");
        assertThat(limits).hasSize(1);
        return limits.getJsonObject(0);
    }

    private static List<Integer> statuses(ProxyHarness proxy, int count) throws Exception {
        var statuses = new ArrayList<Integer>();
        for (int i = 0; i < count; i++) {
            var reply = proxy.send("GET", proxy.verticle.inboundPort(), null, "/", Map.of(), null).get(20, TimeUnit.SECONDS);
            statuses.add(reply.status());
            if (reply.status() == 429) {
                assertThat(reply.header("x-response-flags")).isEqualTo("RL");
            }
        }
        return statuses;
    }

    /** Admitted requests per proxy, as each proxy's own metric counts them. */
    private static long[] admitted(List<ProxyHarness> proxies) {
        long[] counts = new long[proxies.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = (long) proxies.get(i).registry.get("meshlog.proxy.ratelimit.global.requests")
                    .tag("decision", "admitted").functionCounter().count();
        }
        return counts;
    }

    private static List<Long> diff(long[] after, long[] before) {
        var result = new ArrayList<Long>();
        for (int i = 0; i < after.length; i++) {
            result.add(after[i] - before[i]);
        }
        return result;
    }

    /**
     * Open-loop load: proxy i gets {@code perSecond[i]} requests per second at evenly spaced
     * times, whatever the replies; completes once {@code duration} has passed.
     */
    private CompletableFuture<Void> sendFor(List<ProxyHarness> proxies, double[] perSecond, Duration duration, AtomicLong sent) {
        var tasks = new ArrayList<java.util.concurrent.ScheduledFuture<?>>();
        for (int i = 0; i < proxies.size(); i++) {
            var proxy = proxies.get(i);
            long periodMicros = (long) (1_000_000 / perSecond[i]);
            tasks.add(load.scheduleAtFixedRate(() -> {
                sent.incrementAndGet();
                proxy.send("GET", proxy.verticle.inboundPort(), null, "/", Map.of(), null);
            }, 0, periodMicros, TimeUnit.MICROSECONDS));
        }
        var done = new CompletableFuture<Void>();
        load.schedule(() -> {
            tasks.forEach(task -> task.cancel(false));
            done.complete(null);
        }, duration.toMillis(), TimeUnit.MILLISECONDS);
        return done;
    }
}
