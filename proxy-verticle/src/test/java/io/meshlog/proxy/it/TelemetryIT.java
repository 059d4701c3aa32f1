package io.meshlog.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.ResponseFlag;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TelemetryIT {
    private static ProxyHarness proxy;
    private static TestUpstream bad;
    private static TestUpstream good;
    private static TestUpstream app;
    private static final AtomicBoolean streamReset = new AtomicBoolean();

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyHarness();
        bad = proxy.upstream("orders-bad");
        bad.answer(503);
        good = proxy.upstream("orders-good");
        app = proxy.upstream("app");
        var stream = proxy.upstream("stream");
        stream.behave(request -> {
            var response = request.response().setChunked(true);
            response.closeHandler(v -> streamReset.set(true));
            response.write("first chunk\n");
            proxy.vertx.setTimer(3000, id -> {
                if (!response.closed()) {
                    response.end("late\n");
                }
            });
        });
        proxy.start("""
                proxy: {id: telemetry-proxy, workload: frontend, namespace: shop, labels: {app: frontend}}
                listeners:
                  outbound: {port: 0}
                  inbound: {port: 0, appPort: %d}
                  admin: {port: 0}
                services:
                  - {name: orders, endpoints: [{port: %d, workload: orders-v1, labels: {version: v1}}, {port: %d, workload: orders-v1b, labels: {version: v1}}]}
                  - {name: stream, endpoints: [{port: %d}]}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: orders, generation: 4}
                spec:
                  hosts: [orders]
                  http: [{name: orders-main, retries: {attempts: 1, retryOn: [gateway-error]}, route: [{destination: {host: orders, subset: v1}}]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: orders, generation: 2}
                spec:
                  host: orders
                  trafficPolicy: {outlierDetection: {consecutive5xxErrors: 0}}
                  subsets: [{name: v1, labels: {version: v1}}]
                """.formatted(app.port(), bad.port(), good.port(), stream.port()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @BeforeEach
    void clear() {
        proxy.telemetry.clear();
    }

    @Test
    void everyTryOfARetriedRequestProducesOneEventWithEveryField() throws Exception {
        // When: round robin makes at least one of two requests hit the 503 endpoint first
        var before = Instant.now();
        proxy.getMany("orders", "/orders/42", Map.of(), 2, 1);
        // Then: one event per try: each request's successful try, plus one per 503 that was retried
        // (a request's last event is handed to the sink as its response ends, so wait for it)
        await().atMost(Duration.ofSeconds(5)).until(() ->
                proxy.telemetry.events().stream().filter(e -> e.getStatus() == 200).count() == 2);
        var events = proxy.telemetry.events();
        long retriedTries = events.stream().filter(e -> e.getStatus() == 503).count();
        assertThat(retriedTries).isBetween(1L, 2L);
        assertThat(events).hasSize(2 + (int) retriedTries);
        var retried = events.stream().filter(e -> e.getStatus() == 503).findFirst().orElseThrow();
        var retry = events.stream().filter(e -> e.getRequestId().equals(retried.getRequestId()) && e.getStatus() == 200)
                .findFirst().orElseThrow();
        assertThat(retried.getAttempt()).isEqualTo(1);
        assertThat(retried.getRetry()).isFalse();
        assertThat(retried.getDestinationEndpoint()).isEqualTo("127.0.0.1:" + bad.port());
        assertThat(retry.getAttempt()).isEqualTo(2);
        assertThat(retry.getRetry()).isTrue();
        assertThat(retry.getTraceId()).isEqualTo(retried.getTraceId()).matches("[0-9a-f]{32}");
        for (RequestTelemetry event : events) {
            assertThat(event.getProxyId()).isEqualTo("telemetry-proxy");
            assertThat(event.getReporter()).isEqualTo(Reporter.SOURCE);
            assertThat(event.getSourceWorkload()).isEqualTo("frontend");
            assertThat(event.getSourceNamespace()).isEqualTo("shop");
            assertThat(event.getDestinationService()).isEqualTo("orders");
            assertThat(event.getDestinationSubset()).isEqualTo("v1");
            assertThat(event.getDestinationWorkload()).startsWith("orders-v1");
            assertThat(event.getRoute()).isEqualTo("orders-main");
            assertThat(event.getMethod()).isEqualTo("GET");
            assertThat(event.getSpanId()).matches("[0-9a-f]{16}");
            assertThat(event.getRequestId()).isNotBlank();
            assertThat(event.getDurationMicros()).isPositive();
            assertThat(event.getUpstreamMicros()).isPositive();
            assertThat(event.getPoolWaitMicros() + event.getConnectMicros()).isNotNegative();
            assertThat(event.getTlsHandshakeMicros()).isZero();
            assertThat(event.getMtls()).isFalse();
            assertThat(event.getEventTime()).isBetween(before.minusSeconds(1), Instant.now());
        }
        assertThat(retry.getResponseBytes()).isEqualTo("orders-good".length());
        assertThat(retry.getResponseFlags()).isEmpty();
    }

    @Test
    void locallyAnsweredRequestsProduceOneEventWithTheirFlag() throws Exception {
        proxy.get("unknown-service", "/");
        await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.telemetry.events().isEmpty());
        var event = proxy.telemetry.events().get(0);
        assertThat(proxy.telemetry.events()).hasSize(1);
        assertThat(event.getStatus()).isEqualTo(404);
        assertThat(event.getResponseFlags()).containsExactly(ResponseFlag.NR);
        assertThat(event.getAttempt()).isZero();
    }

    @Test
    void inboundRequestsAreReportedByTheDestination() throws Exception {
        var reply = proxy.send("GET", proxy.verticle.inboundPort(), "frontend", "/", Map.of(), null).get();
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("x-upstream")).isEqualTo("app");
        await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.telemetry.events().isEmpty());
        var event = proxy.telemetry.events().get(0);
        assertThat(event.getReporter()).isEqualTo(Reporter.DESTINATION);
        assertThat(event.getDestinationService()).isEqualTo("frontend");
        assertThat(event.getDestinationWorkload()).isEqualTo("frontend");
    }

    @Test
    void metricsCarryIstioNamesLabelsAndBuckets() throws Exception {
        proxy.getMany("orders", "/", Map.of(), 4, 1);
        var metrics = proxy.admin("/metrics").body();
        assertThat(series(metrics, "istio_requests_total", "reporter=\"source\"", "destination_service_name=\"orders\"",
                "response_code=\"200\""))
                .contains("connection_security_policy=\"unknown\"")
                .contains("destination_service=\"orders.shop.svc.cluster.local\"")
                .contains("destination_service_namespace=\"shop\"")
                .containsPattern("destination_workload=\"orders-v1b?\"")
                .contains("destination_workload_namespace=\"shop\"").contains("destination_version=\"v1\"")
                .contains("destination_app=\"unknown\"").containsPattern("destination_canonical_service=\"orders-v1b?\"")
                .contains("destination_canonical_revision=\"v1\"").contains("destination_cluster=\"Kubernetes\"")
                .contains("destination_principal=\"unknown\"")
                .contains("source_workload=\"frontend\"").contains("source_workload_namespace=\"shop\"")
                .contains("source_app=\"frontend\"").contains("source_version=\"unknown\"")
                .contains("source_canonical_service=\"frontend\"").contains("source_canonical_revision=\"latest\"")
                .contains("source_cluster=\"Kubernetes\"").contains("source_principal=\"unknown\"")
                .contains("request_protocol=\"http\"").contains("grpc_response_status=\"\"")
                .contains("response_flags=\"-\"");
        assertThat(metrics)
                .containsPattern("istio_request_duration_milliseconds_bucket\\{[^}]*le=\"0.5\"")
                .containsPattern("istio_request_duration_milliseconds_bucket\\{[^}]*le=\"3600000.0\"")
                .contains("istio_request_bytes_bucket").contains("istio_response_bytes_bucket")
                .contains("meshlog_proxy_telemetry_dropped_total");
    }

    @Test
    void outboundAnnouncesThisWorkloadAndInboundLabelsTheCallerWithoutPassingTheHeaderOn() throws Exception {
        // outbound: the upstream sees this workload's metadata
        var seen = new java.util.concurrent.atomic.AtomicReference<String>();
        good.behave(request -> {
            seen.set(request.getHeader("x-meshlog-peer-metadata"));
            good.ok(request);
        });
        bad.behave(request -> {
            seen.compareAndSet(null, request.getHeader("x-meshlog-peer-metadata"));
            request.response().setStatusCode(503).end();
        });
        proxy.get("orders", "/", Map.of("x-meshlog-peer-metadata", "workload=forged;namespace=forged"));
        assertThat(seen.get()).isEqualTo("workload=frontend;namespace=shop;app=frontend;version=unknown;"
                + "canonical_service=frontend;canonical_revision=latest;cluster=Kubernetes");
        good.behave(good::ok);
        bad.answer(503);

        // inbound: a caller's sidecar announces reviews-v2; the app never sees the header
        var appSaw = new java.util.concurrent.atomic.AtomicReference<String>("not called");
        app.behave(request -> {
            appSaw.set(String.valueOf(request.getHeader("x-meshlog-peer-metadata")));
            app.ok(request);
        });
        var reply = proxy.send("GET", proxy.verticle.inboundPort(), "frontend", "/", Map.of("x-meshlog-peer-metadata",
                "workload=reviews-v2;namespace=bookinfo;app=reviews;version=v2;canonical_service=reviews;"
                        + "canonical_revision=v2;cluster=Kubernetes"), null).get();
        app.behave(app::ok);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(appSaw.get()).isEqualTo("null");
        assertThat(series(proxy.admin("/metrics").body(), "istio_requests_total", "reporter=\"destination\"",
                "source_workload=\"reviews-v2\""))
                .contains("source_workload_namespace=\"bookinfo\"").contains("source_app=\"reviews\"")
                .contains("source_version=\"v2\"").contains("source_canonical_revision=\"v2\"")
                .contains("source_principal=\"unknown\"").contains("connection_security_policy=\"none\"")
                .contains("destination_service=\"frontend.shop.svc.cluster.local\"")
                .contains("destination_workload=\"frontend\"").contains("destination_workload_namespace=\"shop\"");
    }

    /** The one Prometheus line of {@code name} that has every label of {@code labels}. */
    private static String series(String metrics, String name, String... labels) {
        return metrics.lines().filter(line -> line.startsWith(name + "{"))
                .filter(line -> java.util.Arrays.stream(labels).allMatch(line::contains)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " series with " + java.util.List.of(labels)));
    }

    @Test
    void adminShowsReadinessConfigWithGenerationsAndClusters() throws Exception {
        assertThat(proxy.admin("/ready").status()).isEqualTo(200);
        var dump = new JsonObject(proxy.admin("/config_dump").body());
        assertThat(dump.getJsonArray("policies").encode())
                .contains("{\"key\":\"VirtualService/default/orders\",\"generation\":4}")
                .contains("{\"key\":\"DestinationRule/default/orders\",\"generation\":2}");
        assertThat(dump.getJsonObject("routes").getJsonObject("orders").getString("source")).isEqualTo("VirtualService/default/orders");
        var clusters = new JsonObject(proxy.admin("/clusters").body());
        assertThat(clusters.getLong("telemetryDropped")).isZero();
        assertThat(clusters.getJsonArray("clusters").encode()).contains("\"workload\":\"orders-v1\"").contains("\"health\":\"healthy\"");
    }

    @Test
    void clientClosingMidResponseResetsTheUpstreamAndIsCounted() throws Exception {
        // Given a response that sends one chunk, then waits
        try (var socket = new Socket("127.0.0.1", proxy.verticle.outboundPort())) {
            socket.getOutputStream().write("GET /s HTTP/1.1\r\nHost: stream\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readUntil(socket.getInputStream(), "first chunk")).isTrue();
        } // When the client goes away mid-response
        // Then
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(streamReset).isTrue();
            assertThat(proxy.admin("/metrics").body()).contains("meshlog_proxy_downstream_resets_total 1.0");
            assertThat(proxy.telemetry.events()).anySatisfy(e -> assertThat(e.getResponseFlags()).contains(ResponseFlag.DC));
        });
    }

    private static boolean readUntil(InputStream in, String marker) throws Exception {
        var seen = new StringBuilder();
        var buffer = new byte[512];
        int read;
        while ((read = in.read(buffer)) > 0) {
            seen.append(new String(buffer, 0, read, StandardCharsets.US_ASCII));
            if (seen.indexOf(marker) >= 0) {
                return true;
            }
        }
        return false;
    }
}
