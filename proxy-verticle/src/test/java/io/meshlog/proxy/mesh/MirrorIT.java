package io.meshlog.proxy.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlog.proxy.config.ListenerConfig;
import io.meshlog.proxy.config.MirrorLimits;
import io.meshlog.proxy.config.ProxyConfig;
import io.meshlog.proxy.config.TelemetryMode;
import io.meshlog.proxy.discovery.DiscoveryConfig;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.ResponseFlag;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Traffic mirroring with real proxies, registry and broker: the copy reaches the mirror subset with
 * {@code -shadow} in its Host, the shadow's status and body hash ride on the primary's telemetry
 * event (so differences are counted exactly), and a shadow that never answers, or a body past the
 * buffer limit, leaves the primary as it was.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MirrorIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String POLICIES = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: orders}
            spec:
              host: orders
              subsets:
                - {name: v1, labels: {version: v1}}
                - {name: v2, labels: {version: v2}}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: orders}
            spec:
              hosts: [orders]
              http:
                - name: mirrored
                  route: [{destination: {host: orders, subset: v1}}]
                  mirror: {host: orders, subset: v2}
                  mirrorPercentage: {value: 100}
            """;

    private final MeshProxies mesh = new MeshProxies();
    private final Vertx vertx = mesh.vertx;

    @AfterEach
    void stop() throws Exception {
        mesh.close();
    }

    @Test
    void shadowStatusAndBodyDifferencesAreCountedExactlyOnThePrimarysTelemetry(SharedKafka kafka) throws Exception {
        // Given: v1 always answers 200 "ok"; the v2 shadow answers 500 on every 5th copy and a changed body on every
        // other 4th, so 20 requests differ 4 times in status (5, 10, 15, 20) and 4 times in body only (4, 8, 12, 16)
        var topics = topics(kafka);
        var hosts = new CopyOnWriteArrayList<String>();
        var copies = new AtomicInteger();
        var v1 = server(request -> request.response().end("ok"));
        var v2 = server(request -> {
            hosts.add(request.getHeader("host"));
            int n = copies.incrementAndGet();
            request.response().setStatusCode(n % 5 == 0 ? 500 : 200).end(n % 4 == 0 && n % 5 != 0 ? "changed" : "ok");
        });
        var web = mesh(kafka.bootstrapServers(), topics, v1, v2, MirrorLimits.DEFAULTS, ProxyConfig.DEFAULT_RETRY_BUFFER_BYTES);

        // When
        var ids = new ArrayList<String>();
        var statuses = new ArrayList<Integer>();
        for (int i = 0; i < 20; i++) {
            var id = "mirror-" + i + "-" + System.nanoTime();
            ids.add(id);
            var reply = MeshTestKit.get(web.outboundPort(), "orders", "/orders/" + i, Map.of("x-request-id", id));
            statuses.add(reply.status());
            assertThat(reply.body()).isEqualTo("ok");
        }

        // Then: the primary is untouched, every copy went to v2 as orders-shadow, and one event per request has both answers
        assertThat(statuses).containsOnly(200);
        await().atMost(TIMEOUT).until(() -> copies.get() == 20);
        assertThat(hosts).allSatisfy(host -> assertThat(host).startsWith("orders-shadow"));
        var events = sourceEvents(kafka.bootstrapServers(), topics, ids);
        assertThat(events).hasSize(20).allSatisfy(e -> {
            assertThat(e.getStatus()).isEqualTo(200);
            assertThat(e.getDestinationSubset()).isEqualTo("v1");
            assertThat(e.getShadowStatus()).isNotNull();
            assertThat(e.getShadowDurationMicros()).isNotNull();
            assertThat(e.getPrimaryBodyHash()).isNotNull();
        });
        assertThat(events).filteredOn(e -> !e.getShadowStatus().equals(e.getStatus())).hasSize(4)
                .allSatisfy(e -> assertThat(e.getShadowStatus()).isEqualTo(500));
        assertThat(events).filteredOn(e -> !Objects.equals(e.getShadowBodyHash(), e.getPrimaryBodyHash())).hasSize(4)
                .allSatisfy(e -> assertThat(e.getShadowStatus()).isEqualTo(200));
        assertThat(counter(web, "meshlog.proxy.mirror.shadows", "outcome", "completed")).isEqualTo(20);
    }

    @Test
    void aShadowThatNeverAnswersNeitherChangesNorHoldsThePrimaryAndIsBoundedInFlight(SharedKafka kafka) throws Exception {
        // Given: a shadow that holds every copy unanswered, at most 2 copies in flight, a 1 s shadow timeout
        var topics = topics(kafka);
        var held = new AtomicInteger();
        var v1 = server(request -> request.body().onComplete(b -> request.response().end("ok")));
        var v2 = server(request -> held.incrementAndGet());
        var web = mesh(kafka.bootstrapServers(), topics, v1, v2, new MirrorLimits(2, Duration.ofSeconds(1)), 1024);

        // When
        var ids = new ArrayList<String>();
        var statuses = new ArrayList<Integer>();
        for (int i = 0; i < 10; i++) {
            var id = "slow-" + i + "-" + System.nanoTime();
            ids.add(id);
            var reply = MeshTestKit.get(web.outboundPort(), "orders", "/slow/" + i, Map.of("x-request-id", id));
            statuses.add(reply.status());
            assertThat(reply.body()).isEqualTo("ok");
        }
        var big = post(web.outboundPort(), "x".repeat(4096));

        // Then: every primary answered 200; each copy either timed out (flag UT on the event) or was dropped at the bound
        assertThat(statuses).containsOnly(200);
        assertThat(big).isEqualTo(200);
        assertThat(counter(web, "meshlog.proxy.mirror.dropped", "reason", "body_too_large")).isEqualTo(1);
        double dropped = counter(web, "meshlog.proxy.mirror.dropped", "reason", "in_flight_limit");
        assertThat(dropped).isGreaterThanOrEqualTo(1);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
                counter(web, "meshlog.proxy.mirror.shadows", "outcome", "timed_out")).isEqualTo(10 - dropped));
        assertThat(held.get()).isLessThanOrEqualTo(10 - (int) dropped);
        var events = sourceEvents(kafka.bootstrapServers(), topics, ids);
        assertThat(events).hasSize(10).allSatisfy(e -> assertThat(e.getStatus()).isEqualTo(200));
        assertThat(events).filteredOn(e -> e.getShadowStatus() != null).hasSize(10 - (int) dropped).allSatisfy(e -> {
            assertThat(e.getShadowStatus()).isZero();
            assertThat(e.getShadowResponseFlags()).containsExactly(ResponseFlag.UT);
        });
    }

    private MeshProxy mesh(String bootstrap, TopicCatalogue topics, HttpServer v1, HttpServer v2, MirrorLimits limits,
            long bufferBytes) throws Exception {
        MeshTestKit.publishPolicies(bootstrap, topics.policy().name(), POLICIES);
        start(MeshTestKit.proxy("orders-v1-proxy", "orders-v1", "orders", Map.of("app", "orders", "version", "v1"),
                v1.actualPort(), bootstrap, topics));
        start(MeshTestKit.proxy("orders-v2-proxy", "orders-v2", "orders", Map.of("app", "orders", "version", "v2"),
                v2.actualPort(), bootstrap, topics));
        var config = new ProxyConfig("web-proxy", "web", "default", Map.of("app", "web"), new ListenerConfig("127.0.0.1", 0),
                null, new ListenerConfig("127.0.0.1", 0), TelemetryMode.NONE, bufferBytes, null, 0, limits);
        var web = start(MeshProxyConfig.of(config, null, bootstrap, topics)
                .withHazelcast(null, new DiscoveryConfig(null, Duration.ofSeconds(3), Duration.ofSeconds(1))));
        await().atMost(TIMEOUT).until(() -> web.runtime().directory().endpoints("orders").size() == 2
                && web.runtime().snapshots().current().routesFor("orders") != null);
        return web;
    }

    private MeshProxy start(MeshProxyConfig config) throws Exception {
        return mesh.start(config);
    }

    private HttpServer server(io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler) throws Exception {
        return MeshTestKit.await(vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1"));
    }

    private static TopicCatalogue topics(SharedKafka kafka) {
        var topics = new TopicCatalogue(kafka.uniquePrefix());
        new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(topics.all());
        return topics;
    }

    private static List<RequestTelemetry> sourceEvents(String bootstrap, TopicCatalogue topics, List<String> ids) {
        var records = MeshTestKit.read(bootstrap, topics.telemetry().name(), MeshSerdes.requestTelemetry(), TIMEOUT,
                read -> read.stream().filter(r -> isOurs(r, ids)).count() >= ids.size());
        return records.stream().filter(r -> isOurs(r, ids)).map(ConsumerRecord::value).toList();
    }

    private static boolean isOurs(ConsumerRecord<String, RequestTelemetry> record, List<String> ids) {
        return record.value().getReporter() == Reporter.SOURCE && ids.contains(record.value().getRequestId());
    }

    private static double counter(MeshProxy proxy, String name, String tag, String value) {
        return proxy.runtime().registry().get(name).tag(tag, value).counter().count();
    }

    private static int post(int port, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/big"))
                .timeout(Duration.ofSeconds(15)).header("Host", "orders")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return MeshTestKit.HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
