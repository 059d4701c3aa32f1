package io.meshlog.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlog.it.PipelineMesh.App;
import io.meshlog.proxy.bootstrap.BootstrapLoader;
import io.meshlog.proxy.mesh.MeshProxy;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.v1.CanaryPhase;
import io.meshlog.schemas.v1.CanaryStatus;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13 end to end: a caller's mesh proxy sends a steady stream to {@code orders}, whose
 * stable (v1) and canary (v2) instances are real apps behind their own mesh proxies; the
 * pipeline's canary controller drives the route through the policy log and the proxies'
 * ConfigAcks. One broker, one Hazelcast member.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CanaryIT {
    private static final Duration TIMEOUT = PipelineMesh.TIMEOUT;
    private static final String POLICIES = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: orders}
            spec:
              host: orders
              trafficPolicy: {outlierDetection: {consecutive5xxErrors: 0, consecutiveGatewayErrors: 0}}
              subsets:
              - {name: stable, labels: {version: v1}}
              - {name: canary, labels: {version: v2}}
            """;
    private static final String CANARY = """
            apiVersion: meshlog.io/v1
            kind: Canary
            metadata: {name: orders}
            spec:
              targetRef: {name: orders}
              analysis:
                interval: 30s
                threshold: 1
                stepWeights: [20, 50]
                minRequests: 20
                metrics:
                - {name: request-success-rate, thresholdRange: {min: 99}}
                - {name: request-duration, thresholdRange: {max: 1000}}
            """;

    private final AtomicLong canaryGeneration = new AtomicLong();
    private final List<CanaryStatus> statuses = new CopyOnWriteArrayList<>();
    private final AtomicBoolean watching = new AtomicBoolean(true);
    private PipelineMesh mesh;
    private App stable;
    private App canary;
    private MeshProxy caller;
    private Thread watcher;

    @BeforeAll
    void mesh(SharedKafka kafka) throws Exception {
        // Kafka Streams does not leave the group on close: the restarted instance waits for the
        // old member's session to expire (45 s by default).
        mesh = new PipelineMesh(kafka, POLICIES, Map.of("kafka.streams.consumer.session.timeout.ms", "6000",
                "kafka.streams.consumer.heartbeat.interval.ms", "1000"));
        stable = mesh.app("orders-v1");
        canary = mesh.app("orders-v2");
        start("orders-v1-proxy", "orders-v1", "v1", stable.port());
        start("orders-v2-proxy", "orders-v2", "v2", canary.port());
        caller = start("caller-proxy", "caller", null, 0);
        watcher = new Thread(this::watchStatuses, "canary-status-watcher");
        watcher.start();
        await().atMost(TIMEOUT).until(() -> mesh.pipeline().isRunning()
                && caller.runtime().directory().endpoints("orders").size() == 2);
    }

    @AfterAll
    void stop() throws Exception {
        watching.set(false);
        if (watcher != null) {
            watcher.join(10_000);
        }
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    void aCanaryFailingOneRequestInFiveIsRolledBackToZeroPromptlyWithTheReason() throws Exception {
        canary.failEvery.set(5);
        try (var traffic = new Traffic()) {
            var generation = applyCanary();
            var failed = awaitStatus(generation, s -> s.getPhase() == CanaryPhase.Failed);
            var applied = awaitStatus(generation, s -> s.getPhase() == CanaryPhase.Failed && s.getRouteAcknowledged());
            long rollbackMillis = applied.getUpdatedAt().toEpochMilli() - failed.getUpdatedAt().toEpochMilli();
            System.out.printf("canary rolled back: decided at %d canary requests, every caller on the stable route "
                    + "%d ms later; %s%n", failed.getRollbackReason().getRequests(), rollbackMillis, failed.getMessage());

            var started = awaitStatus(generation, s -> true);
            // bench/canary-bench.sh reads the "canary-bench" lines
            System.out.printf("canary-bench rollback meshlog_ms=%d threshold=1 canary_requests=%d%n",
                    applied.getUpdatedAt().toEpochMilli() - started.getUpdatedAt().toEpochMilli(),
                    failed.getRollbackReason().getRequests());

            assertThat(failed.getStep()).as("decided in the first step").isZero();
            assertThat(failed.getCanaryWeight()).isZero();
            var reason = failed.getRollbackReason();
            assertThat(reason.getMetric()).isEqualTo("request-success-rate");
            assertThat(reason.getThreshold()).isEqualTo(99.0);
            assertThat(reason.getRequests()).isEqualTo(20);
            assertThat(reason.getValue()).isEqualTo(80.0);
            assertThat(failed.getMessage()).contains("over 20 canary requests");
            assertThat(rollbackMillis).as("route back at 0% on every caller within 2 s of the decision")
                    .isLessThanOrEqualTo(2000);

            int hitsAfterRollback = canary.hits.get();
            traffic.awaitMore(100);
            assertThat(canary.hits.get()).as("no request reaches the canary once the rollback is applied")
                    .isEqualTo(hitsAfterRollback);
        } finally {
            canary.failEvery.set(0);
        }
    }

    @Test
    void aHealthyCanaryIsPromotedThroughEveryStepEachCountedOnlyAfterTheCallersAcknowledgement() throws Exception {
        try (var traffic = new Traffic()) {
            var generation = applyCanary();
            var done = awaitStatus(generation, s -> s.getPhase() == CanaryPhase.Succeeded);
            var run = statuses.stream().filter(s -> s.getCanaryGeneration() == generation).toList();
            run.forEach(s -> System.out.printf("%s step %d weight %d acked %s route %d: %s%n", s.getPhase(),
                    s.getStep(), s.getCanaryWeight(), s.getRouteAcknowledged(), s.getRouteGeneration(), s.getMessage()));

            System.out.printf("canary-bench promotion meshlog_ms=%d steps=2 min_requests=20%n",
                    done.getUpdatedAt().toEpochMilli() - run.get(0).getUpdatedAt().toEpochMilli());

            assertThat(done.getCanaryWeight()).isEqualTo(100);
            for (int step = 0; step < 2; step++) {
                int index = step;
                assertThat(run).as("step %d counted once acknowledged", step + 1).anySatisfy(s -> {
                    assertThat(s.getStep()).isEqualTo(index);
                    assertThat(s.getPhase()).isEqualTo(CanaryPhase.Progressing);
                    assertThat(s.getRouteAcknowledged()).isTrue();
                });
            }
            var acknowledged = new java.util.HashSet<Long>();
            for (var s : run) {
                if (s.getRouteAcknowledged()) {
                    acknowledged.add(s.getRouteGeneration());
                }
                assertThat(s.getCanary().getRequests() == 0 || acknowledged.contains(s.getRouteGeneration()))
                        .as("requests counted on route generation %d only after it was acknowledged: %s",
                                s.getRouteGeneration(), s.getMessage()).isTrue();
            }
            int stableHits = stable.hits.get();
            int canaryHits = canary.hits.get();
            traffic.awaitMore(100);
            assertThat(stable.hits.get()).as("after promotion no request reaches stable").isEqualTo(stableHits);
            // the one sequential caller may have had a request at the canary, counted there, when the hits were read
            assertThat(canary.hits.get() - canaryHits).as("after promotion every request goes to the canary")
                    .isGreaterThanOrEqualTo(99);
            assertThat(traffic.failures.get()).as("no request failed because of a weight change").isZero();
        }
    }

    @Test
    void aPipelineRestartMidRolloutNeitherRepeatsNorSkipsAStep() throws Exception {
        var before = routeEvents().size();
        try (var traffic = new Traffic()) {
            var generation = applyCanary(CANARY.replace("stepWeights: [20, 50]", "stepWeights: [10, 20, 30, 40]"));
            awaitStatus(generation, s -> s.getStep() == 1 && s.getRouteAcknowledged());
            mesh.stopPipeline();
            traffic.awaitMore(20);
            mesh.startPipeline();
            // The restarted instance waits for the old member's session, restores its stores and
            // works through the telemetry written meanwhile.
            var done = awaitStatus(generation, s -> s.getPhase() == CanaryPhase.Succeeded, Duration.ofMinutes(3));

            var routes = routeEvents().subList(before, routeEvents().size());
            assertThat(routes).extracting(PolicyEvent::getAuthor).containsOnly("canary-controller");
            assertThat(routes).extracting(e -> canaryWeight((VirtualServiceSpec) e.getSpec()))
                    .as("each step's route written exactly once, in order").containsExactly(10, 20, 30, 40, 100);
            var generations = routes.stream().map(PolicyEvent::getGeneration).toList();
            for (int i = 1; i < generations.size(); i++) {
                assertThat(generations.get(i)).isEqualTo(generations.get(i - 1) + 1);
            }
            assertThat(done.getRouteGeneration()).isEqualTo(generations.get(generations.size() - 1));
        }
    }

    @Test
    void abTestingByHeaderSendsOnlyMatchingRequestsToTheCanaryUntilItIsPromoted() throws Exception {
        var ab = CANARY.replace("stepWeights: [20, 50]", "match: [{headers: {x-tag: {exact: insider}}}]\n    iterations: 2");
        try (var traffic = new Traffic("insider")) {
            var generation = applyCanary(ab);
            var counting = awaitStatus(generation, s -> s.getPhase() == CanaryPhase.Progressing && s.getRouteAcknowledged());
            traffic.awaitMore(2); // a request in flight when the caller applied the A/B route has finished
            canary.resetTags();
            var done = awaitStatus(generation, s -> s.getPhase() == CanaryPhase.Succeeded);
            var promoting = awaitStatus(generation, s -> s.getPhase() == CanaryPhase.Promoting);
            traffic.awaitMore(100);

            assertThat(counting.getCanaryWeight()).as("A/B mode: no weight").isZero();
            assertThat(canary.hitsTagged("insider")).as("matching requests reached the canary").isGreaterThanOrEqualTo(20);
            assertThat(canary.firstHitMillisByTag.get("")).as("requests without the header reach the canary only "
                    + "once its promotion route was written").isGreaterThanOrEqualTo(promoting.getUpdatedAt().toEpochMilli());
            assertThat(canary.hitsTagged("")).as("promoted: every request goes to the canary").isGreaterThanOrEqualTo(40);
            assertThat(done.getCanaryWeight()).isEqualTo(100);
            assertThat(traffic.failures.get()).isZero();
        }
    }

    /** Every event of the controller's route on the policy log, oldest first (read_committed). */
    private List<PolicyEvent> routeEvents() {
        var topic = mesh.topics.policy().name();
        var events = new ArrayList<PolicyEvent>();
        var props = Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), MeshSerdes.policyEvent())) {
            var partition = new org.apache.kafka.common.TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if ("VirtualService/default/orders".equals(r.key()) && r.value() != null) {
                        events.add(r.value());
                    }
                });
            }
        }
        return events;
    }

    private static int canaryWeight(VirtualServiceSpec route) {
        var split = route.getHttp().get(route.getHttp().size() - 1).getRoute();
        return split.get(1).getWeight();
    }

    private long applyCanary() throws Exception {
        return applyCanary(CANARY);
    }

    private long applyCanary(String yaml) throws Exception {
        var generation = canaryGeneration.incrementAndGet();
        var events = BootstrapLoader.policies(yaml, "test-canary");
        events.forEach(e -> e.setGeneration(generation));
        mesh.publish(events);
        return generation;
    }

    private CanaryStatus awaitStatus(long generation, java.util.function.Predicate<CanaryStatus> condition) {
        return awaitStatus(generation, condition, TIMEOUT);
    }

    private CanaryStatus awaitStatus(long generation, java.util.function.Predicate<CanaryStatus> condition,
            Duration timeout) {
        return await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> statuses.stream()
                .filter(s -> s.getCanaryGeneration() == generation && condition.test(s)).findFirst().orElse(null),
                java.util.Objects::nonNull);
    }

    private void watchStatuses() {
        var props = Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), MeshSerdes.canaryStatus())) {
            var partition = new org.apache.kafka.common.TopicPartition(mesh.topics.canaryStatus().name(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (watching.get()) {
                consumer.poll(Duration.ofMillis(50)).forEach(r -> {
                    if (r.value() != null) {
                        statuses.add(r.value());
                    }
                });
            }
        }
    }

    private MeshProxy start(String id, String workload, String version, int appPort) throws Exception {
        Map<String, String> labels = version != null ? Map.of("app", "orders", "version", version) : Map.of("app", workload);
        return mesh.start(mesh.config(id, workload, version != null ? "orders" : null, appPort, labels)
                .withTelemetry(10_000, Set.of(Reporter.SOURCE)));
    }

    /** The caller's app: one request to orders after another, on its own thread; non-2xx counted. */
    private final class Traffic implements AutoCloseable {
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Traffic() {
            this(null);
        }

        /** @param tag when set, every other request carries it in {@link App#TAG} */
        Traffic(String tag) {
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        var headers = tag != null && sent.get() % 2 == 0 ? Map.of(App.TAG, tag) : Map.<String, String>of();
                        var response = mesh.get(caller, "orders", "/orders", headers);
                        if (response.statusCode() != 200 && canary.failEvery.get() == 0) {
                            failures.incrementAndGet();
                        }
                        sent.incrementAndGet();
                        // Paced: unpaced, the caller ran 1500 requests/s, and the pipeline restarted on
                        // the busy machine spent minutes on the backlog (a step's route is seen only
                        // after the telemetry written before it).
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
            }, "canary-traffic");
            thread.start();
        }

        void awaitMore(int requests) {
            int target = sent.get() + requests;
            await().atMost(TIMEOUT).until(() -> sent.get() >= target);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(15_000);
        }
    }
}
