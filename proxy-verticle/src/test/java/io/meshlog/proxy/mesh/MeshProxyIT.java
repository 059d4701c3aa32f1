package io.meshlog.proxy.mesh;

import static io.meshlog.proxy.mesh.MeshTestKit.admin;
import static io.meshlog.proxy.mesh.MeshTestKit.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlog.kafka.embedded.EmbeddedBrokerConfig;
import io.meshlog.kafka.embedded.EmbeddedKafkaBroker;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.schemas.v1.ConfigAck;
import io.meshlog.schemas.v1.Decision;
import io.meshlog.schemas.v1.RetryBudgetState;
import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control-plane proxies on a real broker, a real embedded Hazelcast member and real Vert.x apps:
 * live policy changes with their ConfigAck, one telemetry event per request, a dead broker, and
 * a real Prometheus scraping the admin port.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MeshProxyIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String REVIEWS = """
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, generation: 1}
            spec:
              host: reviews
              subsets:
                - {name: v1, labels: {version: v1}}
                - {name: v2, labels: {version: v2}}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, generation: %d}
            spec:
              hosts: [reviews]
              http: [{route: [{destination: {host: reviews, subset: %s}}]}]
            """;

    private final MeshProxies mesh = new MeshProxies();
    private final Vertx vertx = mesh.vertx;

    @AfterEach
    void stop() throws Exception {
        mesh.close();
    }

    private MeshProxy start(MeshProxyConfig config) throws Exception {
        return mesh.start(config);
    }

    private static TopicCatalogue topics(String bootstrap, Admin admin, String prefix) {
        var topics = new TopicCatalogue(prefix);
        new TopicCreator(admin, (short) 1, TIMEOUT).ensure(topics.all());
        return topics;
    }

    @Test
    void aPolicyOnKafkaReroutesARunningProxyIsAcknowledgedAndEveryRequestIsReportedOnce(SharedKafka kafka)
            throws Exception {
        var bootstrap = kafka.bootstrapServers();
        var topics = topics(bootstrap, kafka.admin(), kafka.uniquePrefix());
        MeshTestKit.publishPolicies(bootstrap, topics.policy().name(), REVIEWS.formatted(1, "v1"));
        var v1 = new MeshTestKit.App(vertx, "reviews-v1");
        var v2 = new MeshTestKit.App(vertx, "reviews-v2");
        var v1Proxy = start(MeshTestKit.proxy("reviews-v1-proxy", "reviews-v1", "reviews",
                Map.of("app", "reviews", "version", "v1"), v1.port(), bootstrap, topics));
        var v2Proxy = start(MeshTestKit.proxy("reviews-v2-proxy", "reviews-v2", "reviews",
                Map.of("app", "reviews", "version", "v2"), v2.port(), bootstrap, topics));
        var web = start(MeshTestKit.proxy("web-proxy", "web", null, Map.of("app", "web"), 0, bootstrap, topics));
        assertThat(web.isReady()).isTrue();
        assertThat(v2Proxy.registeredEndpoint().port()).isEqualTo(v2Proxy.inboundPort());

        await().atMost(TIMEOUT).until(() -> web.runtime().directory().endpoints("reviews").size() == 2);
        for (int i = 0; i < 5; i++) {
            assertThat(get(web.outboundPort(), "reviews", "/", Map.of()).upstream()).isEqualTo("reviews-v1");
        }

        MeshTestKit.publishPolicies(bootstrap, topics.policy().name(), REVIEWS.formatted(2, "v2"));
        await().atMost(TIMEOUT).until(() -> "reviews-v2".equals(get(web.outboundPort(), "reviews", "/", Map.of()).upstream()));
        for (int i = 0; i < 5; i++) {
            assertThat(get(web.outboundPort(), "reviews", "/", Map.of()).upstream()).isEqualTo("reviews-v2");
        }
        assertThat(admin(web, "/config_dump")).contains("VirtualService/default/reviews");
        var acks = MeshTestKit.read(bootstrap, topics.configAcks().name(), MeshSerdes.configAck(), TIMEOUT,
                records -> records.stream().anyMatch(r -> webAckOfGeneration(r, 2)));
        assertThat(acks).as("the web proxy's ConfigAck carries the new generation").anyMatch(r -> webAckOfGeneration(r, 2));
        assertThat(acks).extracting(ConsumerRecord::key).contains("reviews-v1-proxy", "reviews-v2-proxy");

        // Every request: one SOURCE event from the caller and one DESTINATION event from the callee.
        var ids = new ArrayList<String>();
        for (int i = 0; i < 10; i++) {
            var id = "req-" + i + "-" + System.nanoTime();
            ids.add(id);
            assertThat(get(web.outboundPort(), "reviews", "/items/" + i, Map.of("x-request-id", id)).status())
                    .isEqualTo(200);
        }
        var before = Instant.now().minusSeconds(60);
        var telemetry = MeshTestKit.read(bootstrap, topics.telemetry().name(), MeshSerdes.requestTelemetry(), TIMEOUT,
                records -> records.stream().filter(r -> ids.contains(r.value().getRequestId())).count() >= 20);
        var ours = telemetry.stream().filter(r -> ids.contains(r.value().getRequestId())).toList();
        for (var id : ids) {
            var events = ours.stream().map(ConsumerRecord::value).filter(e -> e.getRequestId().equals(id)).toList();
            assertThat(events).extracting(RequestTelemetry::getReporter)
                    .containsExactlyInAnyOrder(Reporter.SOURCE, Reporter.DESTINATION);
        }
        assertThat(ours).filteredOn(r -> r.value().getReporter() == Reporter.SOURCE).hasSize(10).allSatisfy(r -> {
            var event = r.value();
            assertThat(r.key()).isEqualTo("reviews");
            assertThat(event.getProxyId()).isEqualTo("web-proxy");
            assertThat(event.getSourceWorkload()).isEqualTo("web");
            assertThat(event.getDestinationService()).isEqualTo("reviews");
            assertThat(event.getDestinationEndpoint()).isEqualTo("127.0.0.1:" + v2Proxy.inboundPort());
            assertThat(event.getDestinationWorkload()).isEqualTo("reviews-v2");
            assertThat(event.getDestinationSubset()).isEqualTo("v2");
            assertThat(event.getMethod()).isEqualTo("GET");
            assertThat(event.getStatus()).isEqualTo(200);
            assertThat(event.getAttempt()).isEqualTo(1);
            assertThat(event.getRetry()).isFalse();
            assertThat(event.getResponseBytes()).isEqualTo("reviews-v2".length());
            assertThat(event.getDurationMicros()).isPositive();
            assertThat(event.getEventTime()).isAfter(before);
        });
        assertThat(ours).filteredOn(r -> r.value().getReporter() == Reporter.DESTINATION)
                .allSatisfy(r -> assertThat(r.value().getProxyId()).isEqualTo("reviews-v2-proxy"));
    }

    private static boolean webAckOfGeneration(ConsumerRecord<String, ConfigAck> record, long generation) {
        return record.key().equals("web-proxy")
                && Long.valueOf(generation).equals(record.value().getGenerations().get("VirtualService/default/reviews"));
    }

    @Test
    void aStoppedBrokerNeitherFailsNorSlowsRequestsAndMetricsCountWhatWasLost(@TempDir Path dir) throws Exception {
        var broker = new EmbeddedKafkaBroker(EmbeddedBrokerConfig.ephemeral(dir.resolve("kafka")));
        broker.start();
        try {
            var bootstrap = broker.bootstrapServers();
            TopicCatalogue topics;
            try (var admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                topics = topics(bootstrap, admin, "");
            }
            var app = new MeshTestKit.App(vertx, "ratings-v1");
            start(MeshTestKit.proxy("ratings-proxy", "ratings-v1", "ratings", Map.of("app", "ratings"), app.port(),
                    bootstrap, topics));
            int queue = 20;
            var web = start(MeshTestKit.proxy("web-proxy", "web", null, Map.of(), 0, bootstrap, topics)
                    .withTelemetry(queue, null));
            await().atMost(TIMEOUT).until(() -> !web.runtime().directory().endpoints("ratings").isEmpty());

            broker.close();
            int requests = 200;
            long started = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                assertThat(get(web.outboundPort(), "ratings", "/", Map.of()).status()).isEqualTo(200);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            // A send waiting for the dead broker would block up to max.block.ms (250 ms) per request.
            assertThat(millis).as("%d requests took %d ms", requests, millis).isLessThan(requests * 250L / 4);

            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(dropped(admin(web, "/metrics")))
                    .as("every event that could not wait in the queue is counted")
                    .isGreaterThanOrEqualTo(requests - queue));
            assertThat(admin(web, "/clusters")).contains("\"telemetryDropped\"");
        } finally {
            broker.close();
        }
    }

    private static double dropped(String metrics) {
        var matcher = Pattern.compile("(?m)^meshlog_proxy_telemetry_dropped_total(\\{[^}]*})? ([0-9.Ee+]+)$").matcher(metrics);
        double max = 0;
        while (matcher.find()) {
            max = Math.max(max, Double.parseDouble(matcher.group(2)));
        }
        return max;
    }

    @Test
    void aRetryBudgetDecisionOnKafkaShowsOnClustersAndReadyFollowsTheProxy(SharedKafka kafka) throws Exception {
        var bootstrap = kafka.bootstrapServers();
        var topics = topics(bootstrap, kafka.admin(), kafka.uniquePrefix());
        var app = new MeshTestKit.App(vertx, "stock-v1");
        start(MeshTestKit.proxy("stock-proxy", "stock-v1", "stock", Map.of("app", "stock"), app.port(), bootstrap,
                topics));
        var web = start(MeshTestKit.proxy("web-proxy", "web", null, Map.of(), 0, bootstrap, topics));
        await().atMost(TIMEOUT).until(() -> !web.runtime().directory().endpoints("stock").isEmpty());
        assertThat(get(web.outboundPort(), "stock", "/", Map.of()).status()).isEqualTo(200);
        assertThat(admin(web, "/ready")).isEqualTo("LIVE\n");

        var state = RetryBudgetState.newBuilder().setService("stock").setTtlMillis(10_000).setOriginalRequests(40)
                .setRetries(5).setAllowedRetries(28).setRemaining(23).setExhausted(false).setDecidedAt(Instant.now())
                .build();
        var topic = topics.decisions().name();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "retry-budget/stock", MeshSerdes.decision().serialize(topic,
                    Decision.newBuilder().setPayload(state).build()))).get(30, TimeUnit.SECONDS);
        }

        await().atMost(TIMEOUT).untilAsserted(() -> {
            var stock = new JsonObject(admin(web, "/clusters")).getJsonArray("clusters").stream()
                    .map(JsonObject.class::cast).filter(c -> c.getString("service").equals("stock")).findFirst()
                    .orElseThrow();
            var budget = stock.getJsonObject("clusterRetryBudget");
            assertThat(budget).as("the cluster-wide budget of stock").isNotNull();
            assertThat(budget.getLong("remaining")).isEqualTo(23L);
            assertThat(budget.getBoolean("exhausted")).isFalse();
            assertThat(budget.getDouble("share")).as("1 of the 40 originals").isEqualTo(0.025);
            assertThat(budget.getLong("left")).as("a fortieth of 23, rounded down").isZero();
        });

        web.close();
        assertThat(web.isReady()).isFalse();
    }

    @Test
    void aRealPrometheusScrapesTheAdminPortAndAnswersForIstioRequestsTotal(SharedKafka kafka, @TempDir Path dir)
            throws Exception {
        var bootstrap = kafka.bootstrapServers();
        var topics = topics(bootstrap, kafka.admin(), kafka.uniquePrefix());
        var app = new MeshTestKit.App(vertx, "details-v1");
        start(MeshTestKit.proxy("details-proxy", "details-v1", "details", Map.of("app", "details"), app.port(),
                bootstrap, topics));
        var web = start(MeshTestKit.proxy("web-proxy", "web", null, Map.of(), 0, bootstrap, topics));
        await().atMost(TIMEOUT).until(() -> !web.runtime().directory().endpoints("details").isEmpty());
        for (int i = 0; i < 20; i++) {
            assertThat(get(web.outboundPort(), "details", "/", Map.of()).status()).isEqualTo(200);
        }
        try (var prometheus = PrometheusProcess.start(dir, "127.0.0.1:" + web.adminPort())) {
            var result = prometheus.queryUntilData("istio_requests_total{destination_service_name=\"details\"}", TIMEOUT);
            assertThat(result).contains("\"response_code\":\"200\"").contains("\"source_workload\":\"web\"")
                    .contains("\"destination_service\":\"details.default.svc.cluster.local\"");
        }
    }
}
