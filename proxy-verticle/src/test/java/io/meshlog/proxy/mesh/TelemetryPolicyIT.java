package io.meshlog.proxy.mesh;

import static io.meshlog.proxy.mesh.MeshTestKit.admin;
import static io.meshlog.proxy.mesh.MeshTestKit.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.meshlog.proxy.http.AccessLog;
import io.meshlog.proxy.tracing.TracingConfig;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Istio Telemetry documents published on the policy topic change running mesh proxies (real broker,
 * real Hazelcast, real apps): the trace sampler, the request metrics of one workload, and the access
 * log switched on mesh-wide from the root namespace, each applied and then changed again live.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TelemetryPolicyIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int REQUESTS = 20;

    private final MeshProxies mesh = new MeshProxies();
    private final Vertx vertx = mesh.vertx;
    private final List<ILoggingEvent> accessLines = new CopyOnWriteArrayList<>();
    private String bootstrap;
    private TopicCatalogue topics;
    private MeshTestKit.App reviews;
    private MeshProxy web;
    private MeshProxy batch;

    @BeforeAll
    void mesh(SharedKafka kafka) throws Exception {
        bootstrap = kafka.bootstrapServers();
        topics = new TopicCatalogue(kafka.uniquePrefix());
        new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(topics.all());
        reviews = new MeshTestKit.App(vertx, "reviews");
        start(MeshTestKit.proxy("reviews-proxy", "reviews", "reviews", Map.of("app", "reviews"), reviews.port(),
                bootstrap, topics).withTracing(TracingConfig.defaults("reviews")));
        web = start(MeshTestKit.proxy("web-proxy", "web", null, Map.of("app", "web"), 0, bootstrap, topics)
                .withTracing(TracingConfig.defaults("web")));
        batch = start(MeshTestKit.proxy("batch-proxy", "batch", null, Map.of("app", "batch"), 0, bootstrap, topics));
        await().atMost(TIMEOUT).until(() -> web.runtime().directory().endpoints("reviews").size() == 1
                && batch.runtime().directory().endpoints("reviews").size() == 1);
        var access = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER_NAME);
        access.setLevel(Level.INFO);
        var appender = new ListAppender<ILoggingEvent>() {
            @Override
            protected void append(ILoggingEvent event) {
                accessLines.add(event);
            }
        };
        appender.start();
        access.addAppender(appender);
    }

    @AfterAll
    void stop() throws Exception {
        mesh.close();
    }

    private MeshProxy start(MeshProxyConfig config) throws Exception {
        return mesh.start(config);
    }

    /** Publishes a Telemetry document and waits until every proxy's snapshot holds that generation. */
    private void apply(String namespace, String name, long generation, String spec) throws Exception {
        MeshTestKit.publishPolicies(bootstrap, topics.policy().name(), """
                apiVersion: telemetry.istio.io/v1
                kind: Telemetry
                metadata: {name: %s, namespace: %s, generation: %d}
                spec:
                %s
                """.formatted(name, namespace, generation, spec.indent(2)));
        var key = "Telemetry/" + namespace + "/" + name;
        await().atMost(TIMEOUT).until(() -> mesh.started().stream().allMatch(p ->
                Long.valueOf(generation).equals(p.runtime().snapshots().current().generations().get(key))));
    }

    /** Whether the trace each of {@code REQUESTS} requests through {@code caller} reached the app with was sampled. */
    private List<Boolean> sampledFlags(MeshProxy caller) throws Exception {
        var flags = new ArrayList<Boolean>();
        for (int i = 0; i < REQUESTS; i++) {
            assertThat(get(caller.outboundPort(), "reviews", "/trace/" + i, Map.of()).status()).isEqualTo(200);
            var traceparent = reviews.lastTraceparent.get();
            assertThat(traceparent).as("the app gets the inbound proxy's span; it got %s", reviews.lastHeaders.get()).hasSize(55);
            flags.add((Integer.parseInt(traceparent.substring(53, 55), 16) & 1) == 1);
        }
        return flags;
    }

    @Test
    void theNamespacesSamplingPercentageDrivesTheTracersAndAChangeAppliesLive() throws Exception {
        // Given: the proxies' own setting samples 1% of new traces
        apply("default", "sampling", 1, "tracing: [{randomSamplingPercentage: 100}]");
        // When / Then
        assertThat(sampledFlags(web)).as("100%%: every new trace sampled, and the callee honours it").containsOnly(true);

        apply("default", "sampling", 2, "tracing: [{randomSamplingPercentage: 0}]");
        assertThat(sampledFlags(web)).as("0%%: none").containsOnly(false);
    }

    private static String requestsOf(MeshProxy proxy) throws Exception {
        return String.join("\n", admin(proxy, "/metrics").lines()
                .filter(line -> line.startsWith("istio_requests_total{")).toList());
    }

    @Test
    void aWorkloadsDisabledRequestMetricsAreNotRecordedUntilThePolicyTurnsThemBackOn() throws Exception {
        // Given
        apply("default", "batch-metrics", 1, """
                selector: {matchLabels: {app: batch}}
                metrics: [{overrides: [{disabled: true}]}]
                """);
        // When
        for (int i = 0; i < 5; i++) {
            assertThat(get(batch.outboundPort(), "reviews", "/m", Map.of()).status()).isEqualTo(200);
            assertThat(get(web.outboundPort(), "reviews", "/m", Map.of()).status()).isEqualTo(200);
        }
        // Then
        assertThat(requestsOf(batch)).as("the selected workload records no request metrics").isEmpty();
        assertThat(admin(batch, "/metrics")).doesNotContain("istio_request_duration_milliseconds_count{");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(requestsOf(web)).as("another workload is not selected")
                .contains("source_workload=\"web\""));

        apply("default", "batch-metrics", 2, """
                selector: {matchLabels: {app: batch}}
                metrics: [{overrides: [{match: {metric: REQUEST_COUNT}, tagOverrides: {request_protocol: {operation: REMOVE}}}]}]
                """);
        assertThat(get(batch.outboundPort(), "reviews", "/m", Map.of()).status()).isEqualTo(200);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(requestsOf(batch)).as("back on, without the removed label")
                .contains("source_workload=\"batch\"").doesNotContain("request_protocol="));
    }

    private boolean logged(String requestId) {
        return accessLines.stream().anyMatch(e -> e.getFormattedMessage().contains("\"" + requestId + "\""));
    }

    @Test
    void theRootNamespaceTurnsTheAccessLogOnMeshWideAndOffAgain() throws Exception {
        var before = "before-" + UUID.randomUUID();
        assertThat(get(web.outboundPort(), "reviews", "/log?token=secret", Map.of("x-request-id", before)).status()).isEqualTo(200);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !logged(before)); // off by default

        apply("meshlog-system", "mesh-default", 1, "accessLogging: [{providers: [{name: envoy}]}]");
        var on = "on-" + UUID.randomUUID();
        assertThat(get(web.outboundPort(), "reviews", "/log?token=secret", Map.of("x-request-id", on)).status()).isEqualTo(200);
        await().atMost(TIMEOUT).until(() -> accessLines.stream().filter(e -> e.getFormattedMessage().contains(on)).count() == 2);
        assertThat(accessLines).filteredOn(e -> e.getFormattedMessage().contains(on)).extracting(ILoggingEvent::getFormattedMessage)
                .as("the caller's and the callee's line, without the query string")
                .anySatisfy(line -> assertThat(line).contains("\"GET /log HTTP/1.1\" 200").contains("outbound|reviews"))
                .anySatisfy(line -> assertThat(line).contains("inbound|reviews"))
                .noneSatisfy(line -> assertThat(line).contains("secret"));

        apply("meshlog-system", "mesh-default", 2, "accessLogging: [{disabled: true}]");
        var off = "off-" + UUID.randomUUID();
        assertThat(get(web.outboundPort(), "reviews", "/log", Map.of("x-request-id", off)).status()).isEqualTo(200);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !logged(off));
    }
}
