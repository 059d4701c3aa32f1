package io.meshlog.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlog.it.PipelineMesh.App;
import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.proxy.mesh.MeshProxy;
import io.meshlog.proxy.mesh.MeshProxyConfig;
import io.meshlog.proxy.resilience.Ejection;
import io.meshlog.proxy.resilience.EndpointState;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 6 end to end: five caller mesh proxies, three instances of {@code orders} and three of
 * {@code payments} (each a real Vert.x app behind its own mesh proxy's inbound listener), the
 * telemetry pipeline, one broker, one Hazelcast member. Cluster-wide ejection beats every
 * caller's local detection; the cluster-wide retry budget holds a retry storm. Two instances of
 * {@code stock}, one per subset, show the pipeline applying a subset's own outlierDetection.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterDecisionsIT {
    private static final Duration TIMEOUT = PipelineMesh.TIMEOUT;
    private static final int CALLERS = 5;
    /** The local threshold, and the pipeline's global one: the same DestinationRule. */
    private static final int CONSECUTIVE_5XX = 5;
    private static final double RETRY_RATIO = 0.2;
    private static final int MIN_RETRIES_PER_SECOND = 2;
    private static final Duration BUDGET_TTL = Duration.ofSeconds(10);
    private static final String POLICIES = """
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: orders}
            spec:
              host: orders
              trafficPolicy:
                loadBalancer: {simple: ROUND_ROBIN}
                outlierDetection: {consecutive5xxErrors: %d, consecutiveGatewayErrors: 0, interval: 60s,
                                   baseEjectionTime: 2s, maxEjectionTime: 60s, maxEjectionPercent: 100}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: orders}
            spec:
              hosts: [orders]
              http: [{retries: {attempts: 0}, route: [{destination: {host: orders}}]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: payments}
            spec:
              host: payments
              trafficPolicy: {outlierDetection: {consecutive5xxErrors: 0, consecutiveGatewayErrors: 0}}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: payments}
            spec:
              hosts: [payments]
              http: [{retries: {attempts: 3, retryOn: [5xx]}, route: [{destination: {host: payments}}]}]
            ---
            apiVersion: meshlog.io/v1
            kind: RetryBudget
            metadata: {name: payments}
            spec: {host: payments, retryRatio: %s, minRetriesPerSecond: %d, ttl: %dms}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: stock}
            spec:
              host: stock
              subsets:
                - name: v1
                  labels: {version: v1}
                  trafficPolicy:
                    outlierDetection: {consecutive5xxErrors: 5, consecutiveGatewayErrors: 0, interval: 60s,
                                       baseEjectionTime: 30s, maxEjectionPercent: 100}
                - {name: v2, labels: {version: v2}}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: stock}
            spec:
              hosts: [stock]
              http:
                - retries: {attempts: 0}
                  route:
                    - {destination: {host: stock, subset: v1}, weight: 50}
                    - {destination: {host: stock, subset: v2}, weight: 50}
            """.formatted(CONSECUTIVE_5XX, RETRY_RATIO, MIN_RETRIES_PER_SECOND, BUDGET_TTL.toMillis());

    private final List<MeshProxy> callers = new ArrayList<>();
    private final Map<String, List<App>> apps = new HashMap<>();
    private final Map<String, List<MeshProxy>> instances = new HashMap<>();
    private PipelineMesh mesh;

    @BeforeAll
    void mesh(SharedKafka kafka) throws Exception {
        mesh = new PipelineMesh(kafka, POLICIES, Map.of());
        for (var service : List.of("orders", "payments")) {
            for (int i = 1; i <= 3; i++) {
                var app = mesh.app(service + "-" + i);
                apps.computeIfAbsent(service, s -> new ArrayList<>()).add(app);
                // The pipeline counts every report of a try, so only the caller side reports to Kafka.
                var proxy = start(config(service + "-" + i + "-proxy", service + "-" + i, service, app.port())
                        .withTelemetry(10_000, Set.of(Reporter.SOURCE)));
                instances.computeIfAbsent(service, s -> new ArrayList<>()).add(proxy);
            }
        }
        // stock: one instance per subset; only v1's subset policy turns outlier detection on
        for (int i = 1; i <= 2; i++) {
            var app = mesh.app("stock-" + i);
            apps.computeIfAbsent("stock", s -> new ArrayList<>()).add(app);
            var proxy = start(config("stock-" + i + "-proxy", "stock-" + i, "stock", app.port(),
                    Map.of("app", "stock", "version", "v" + i)).withTelemetry(10_000, Set.of(Reporter.SOURCE)));
            instances.computeIfAbsent("stock", s -> new ArrayList<>()).add(proxy);
        }
        for (int i = 1; i <= CALLERS; i++) {
            callers.add(start(config("caller-" + i + "-proxy", "caller-" + i, null, 0)));
        }
        await().atMost(TIMEOUT).until(() -> mesh.pipeline().isRunning() && callers.stream().allMatch(c ->
                c.runtime().directory().endpoints("orders").size() == 3
                        && c.runtime().directory().endpoints("payments").size() == 3
                        && c.runtime().directory().endpoints("stock").size() == 2));
    }

    @AfterAll
    void stop() throws Exception {
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    void aFailingInstanceIsEjectedClusterWideBeforeAnyCallerCouldAloneAndAgainForTwiceAsLong() throws Exception {
        var bad = apps.get("orders").get(0);
        var badEndpoint = instances.get("orders").get(0).registeredEndpoint();
        try (var traffic = new Traffic("orders", Duration.ofMillis(150))) {
            await().atMost(TIMEOUT).until(() -> apps.get("orders").stream().allMatch(a -> a.hits.get() >= 10));
            Thread.sleep(1000); // the pipeline has seen healthy traffic from everyone

            bad.status.set(500);
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10))
                    .until(() -> callers.stream().allMatch(c -> clusterEjection(c, badEndpoint) != null));
            long ejectedAtMillis = System.currentTimeMillis();
            var failuresPerCaller = traffic.failuresFrom(bad.name);
            long delay = ejectedAtMillis - bad.firstFailureMillis.get();
            System.out.printf("cluster-wide ejection on all %d callers %d ms after the first failure; failures seen"
                    + " per caller: %s%n", CALLERS, delay, failuresPerCaller);

            assertThat(delay).as("ejected cluster-wide within 2 s of the first failure").isLessThanOrEqualTo(2000);
            assertThat(failuresPerCaller).as("no caller alone saw %d failures", CONSECUTIVE_5XX)
                    .allSatisfy(count -> assertThat(count).isLessThan(CONSECUTIVE_5XX));
            assertThat(failuresPerCaller.stream().mapToInt(Integer::intValue).sum())
                    .as("together they saw the global threshold").isGreaterThanOrEqualTo(CONSECUTIVE_5XX);
            for (var caller : callers) {
                assertThat(caller.runtime().ejections().local().ejection("orders", new EndpointState(badEndpoint)))
                        .as("no local ejection on %s", caller.config().proxy().proxyId()).isNull();
            }
            var clusters = admin(callers.get(0), "/clusters");
            assertThat(clusters).contains("\"ejectedBy\" : \"cluster\"").contains("CONSECUTIVE_5XX");
            var first = clusterEjection(callers.get(0), badEndpoint);
            assertThat(first.times()).isEqualTo(1);
            var firstLength = Duration.between(first.since(), first.until());
            assertThat(firstLength).isEqualTo(Duration.ofSeconds(2));

            int hitsWhileEjected = bad.hits.get();
            Thread.sleep(Math.max(0, first.until().toEpochMilli() - System.currentTimeMillis() - 300));
            assertThat(bad.hits.get()).as("no traffic while ejected").isEqualTo(hitsWhileEjected);

            // After the ejection time the instance gets traffic again, still fails, and is ejected for twice as long.
            await().atMost(TIMEOUT).until(() -> bad.hits.get() > hitsWhileEjected);
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> callers.stream().allMatch(c -> {
                var ejection = clusterEjection(c, badEndpoint);
                return ejection != null && ejection.times() == 2;
            }));
            var second = clusterEjection(callers.get(0), badEndpoint);
            assertThat(Duration.between(second.since(), second.until())).isEqualTo(firstLength.multipliedBy(2));
        } finally {
            bad.status.set(200);
        }
    }

    @Test
    void aRetryStormIsHeldByTheClusterWideBudgetToTheFormulasAllowance() throws Exception {
        long startMillis;
        try (var traffic = new Traffic("payments", Duration.ofMillis(100))) {
            await().atMost(TIMEOUT).until(() -> apps.get("payments").stream().allMatch(a -> a.hits.get() >= 10));
            startMillis = traffic.startMillis;
            Thread.sleep(1500);
            apps.get("payments").forEach(app -> app.status.set(500));
            Thread.sleep(5000);
        } finally {
            apps.get("payments").forEach(app -> app.status.set(200));
        }
        long elapsed = System.currentTimeMillis() - startMillis;
        assertThat(elapsed).as("the whole run fits in one budget window").isLessThan(BUDGET_TTL.toMillis() - 1000);

        var events = sourceTelemetry("payments");
        long originals = events.stream().filter(e -> !e.getRetry()).count();
        long retries = events.stream().filter(RequestTelemetry::getRetry).count();
        long suppressed = events.stream().filter(RequestTelemetry::getRetrySuppressed).count();
        long allowance = (long) Math.floor(RETRY_RATIO * originals + MIN_RETRIES_PER_SECOND * BUDGET_TTL.toSeconds());
        System.out.printf("retry storm: %d originals, %d retries, %d suppressed, allowance %d%n", originals, retries,
                suppressed, allowance);

        assertThat(suppressed).as("the budget suppressed retries").isPositive();
        assertThat(retries).as("without the cluster budget every failing original would be retried 3 times")
                .isLessThan(originals);
        // Each caller spends only its share of the budget (its originals over all callers' originals),
        // and counts its own retries in the window, so the callers together stay within it although
        // every decision reaches them a few hundred milliseconds late.
        assertThat(retries).as("retries held to retryRatio × originals + minRetriesPerSecond × ttl")
                .isLessThanOrEqualTo(allowance);
    }

    @Test
    void thePipelineEjectsUnderASubsetsOwnOutlierDetectionAndNotInASubsetWithout() throws Exception {
        var stock = apps.get("stock");
        var v1 = instances.get("stock").get(0).registeredEndpoint();
        var v2 = instances.get("stock").get(1).registeredEndpoint();
        try (var traffic = new Traffic("stock", Duration.ofMillis(100))) {
            // Given: both instances fail every request
            stock.forEach(app -> app.status.set(500));
            // When: the callers' results reach the pipeline
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10))
                    .until(() -> callers.stream().allMatch(c -> clusterEjection(c, v1) != null));
            // Then: v2's instance kept failing, far past v1's threshold, and nobody ejected it
            int v2Failures = stock.get(1).hits.get();
            await().atMost(TIMEOUT).until(() -> stock.get(1).hits.get() >= v2Failures + 4 * CONSECUTIVE_5XX);
            for (var caller : callers) {
                assertThat(clusterEjection(caller, v2)).as("no cluster-wide ejection of v2 on %s",
                        caller.config().proxy().proxyId()).isNull();
                assertThat(caller.runtime().ejections().local().ejection("stock", new EndpointState(v2)))
                        .as("no local ejection of v2 on %s", caller.config().proxy().proxyId()).isNull();
            }
            assertThat(clusterEjection(callers.get(0), v1).reason()).contains("CONSECUTIVE_5XX");
        } finally {
            stock.forEach(app -> app.status.set(200));
        }
    }

    /** Every SOURCE event of the callers to {@code service} (the run's whole telemetry). */
    private List<RequestTelemetry> sourceTelemetry(String service) throws Exception {
        var topic = mesh.topics.telemetry().name();
        var events = new ArrayList<RequestTelemetry>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.bootstrap),
                new StringDeserializer(), MeshSerdes.requestTelemetry())) {
            var partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Thread.sleep(2000); // the callers' sinks linger 20 ms and flush in the background
            var end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    var event = r.value();
                    if (event.getReporter() == Reporter.SOURCE && event.getDestinationService().equals(service)
                            && event.getProxyId().startsWith("caller-")) {
                        events.add(event);
                    }
                });
            }
        }
        return events;
    }

    private static Ejection clusterEjection(MeshProxy caller, Endpoint endpoint) {
        return caller.runtime().clusterEjections().ejection(endpoint.service(), new EndpointState(endpoint));
    }

    private MeshProxyConfig config(String id, String workload, String service, int appPort) {
        return config(id, workload, service, appPort, service != null ? Map.of("app", service) : Map.of("app", workload));
    }

    private MeshProxyConfig config(String id, String workload, String service, int appPort, Map<String, String> labels) {
        return mesh.config(id, workload, service, appPort, labels);
    }

    private MeshProxy start(MeshProxyConfig config) throws Exception {
        return mesh.start(config);
    }

    private String admin(MeshProxy proxy, String path) throws Exception {
        return mesh.admin(proxy, path);
    }

    /** Every caller's app sends one request to {@code service} every {@code pace}, on its own thread. */
    private final class Traffic implements AutoCloseable {
        final long startMillis = System.currentTimeMillis();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        private final List<Map<String, AtomicInteger>> failures = new ArrayList<>();

        Traffic(String service, Duration pace) {
            for (var caller : callers) {
                var seen = new java.util.concurrent.ConcurrentHashMap<String, AtomicInteger>();
                failures.add(seen);
                var thread = new Thread(() -> {
                    while (running.get()) {
                        try {
                            var response = mesh.get(caller, service, "/", Map.of());
                            if (response.statusCode() >= 500) {
                                var upstream = response.headers().firstValue("x-upstream").orElse("none");
                                seen.computeIfAbsent(upstream, u -> new AtomicInteger()).incrementAndGet();
                            }
                            Thread.sleep(pace.toMillis());
                        } catch (InterruptedException e) {
                            return;
                        } catch (Exception e) {
                            // counted by the proxy's telemetry; keep the pace
                        }
                    }
                }, "traffic-" + caller.config().proxy().proxyId());
                threads.add(thread);
                thread.start();
            }
        }

        /** Per caller: 5xx answers that came from {@code upstream} so far. */
        List<Integer> failuresFrom(String upstream) {
            return failures.stream().map(m -> m.getOrDefault(upstream, new AtomicInteger()).get()).toList();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (var thread : threads) {
                thread.join(15_000);
            }
        }
    }
}
