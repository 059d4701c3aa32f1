package io.meshlog.console;

import static io.meshlog.console.ConsoleEvents.ack;
import static io.meshlog.console.ConsoleEvents.edge;
import static io.meshlog.console.ConsoleEvents.ejectAllRule;
import static io.meshlog.console.ConsoleEvents.localEjection;
import static io.meshlog.console.ConsoleEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlog.console.api.ConsoleVerticle;
import io.meshlog.console.config.ConsoleConfig;
import io.meshlog.schemas.auth.BearerToken;
import io.meshlog.console.findings.ConfigFinding;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console against a real broker: records written to the mesh's topics come back from its
 * HTTP API, the findings source is asked about the policies in force, tokens are enforced, the
 * event stream announces changes and the OpenAPI document lists every route.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ConsoleApiIT {
    private static final String TOKEN = "console-reader-token-0123456789";
    private static final Duration WITHIN = Duration.ofSeconds(30);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ConsoleService console;
    private TopicCatalogue topics;
    private SharedKafka kafka;

    @BeforeEach
    void topics(SharedKafka kafka) {
        this.kafka = kafka;
        topics = new TopicCatalogue(kafka.uniquePrefix());
        new TopicCreator(kafka.admin(), (short) 1, Duration.ofSeconds(30)).ensure(topics.all());
    }

    @AfterEach
    void stop() {
        if (console != null) {
            console.close();
        }
    }

    @Test
    void whatTheTopicsSayIsWhatTheApiAnswers() throws Exception {
        console = ConsoleService.start(config(List.of()), policies -> policies.stream()
                .map(p -> new ConfigFinding("ML0105", "WARNING", p.getKind(), p.getNamespace(), p.getName(),
                        "spec.trafficPolicy", "may eject every endpoint", "lower maxEjectionPercent")).toList(),
                Clock.systemUTC());
        var now = Instant.now();
        try (var producer = new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(), new ByteArraySerializer())) {
            send(producer, topics.configAcks().name(), "loadgen", MeshSerdes.configAck().serialize(null,
                    ack("loadgen", "loadgen", "shop", Map.of())));
            send(producer, topics.telemetry().name(), "api-gateway", MeshSerdes.requestTelemetry().serialize(null,
                    request("loadgen", "shop", "api-gateway", "api-gateway-v1", "v1", "127.0.0.1:1", 503,
                            List.of(), 12_000, now)));
            send(producer, topics.edges().name(), "loadgen->api-gateway", MeshSerdes.edgeMetrics().serialize(null,
                    edge("loadgen", "api-gateway", now, 400, 0, 30)));
            send(producer, topics.decisions().name(), "local-ejection/loadgen-1/api-gateway/127.0.0.1:1",
                    MeshSerdes.decision().serialize(null, localEjection("loadgen-1", "api-gateway", "127.0.0.1:1", now)));
            send(producer, topics.policy().name(), "DestinationRule/shop/api-gateway",
                    MeshSerdes.policyEvent().serialize(null, ejectAllRule("shop", "api-gateway")));
        }

        await().atMost(WITHIN).untilAsserted(() -> {
            var graph = get("/api/graph?namespace=shop&window=1m", null).body();
            assertThat(graph).contains("\"id\":\"loadgen->api-gateway\"").contains("\"rps\":40.0")
                    .contains("\"code\":\"ML0105\"").contains("\"scope\":\"local\",\"proxyId\":\"loadgen-1\"");
        });
        var detail = new JsonObject(get("/api/services/shop/api-gateway?window=1m", null).body());
        assertThat(detail.getJsonArray("policies").getJsonObject(0).getString("key"))
                .isEqualTo("DestinationRule/shop/api-gateway");
        var tail = new JsonObject(get("/api/services/shop/api-gateway/tail?status=5xx", null).body());
        assertThat(tail.getJsonArray("requests").getJsonObject(0).getInteger("status")).isEqualTo(503);
        var byPath = new JsonObject(get("/api/services/shop/api-gateway/tail?path=/api-gateway/it", null).body());
        assertThat(byPath.getJsonArray("requests").getJsonObject(0).getString("path")).isEqualTo("/api-gateway/items");
        var otherPath = new JsonObject(get("/api/services/shop/api-gateway/tail?path=/checkout", null).body());
        assertThat(otherPath.getJsonArray("requests")).isEmpty();
        assertThat(get("/api/services/shop/nope", null).statusCode()).isEqualTo(404);
    }

    @Test
    void filtersAndWindowsThatCannotWorkAreRefusedNamingTheParameter() throws Exception {
        console = ConsoleService.start(config(List.of()), null, Clock.systemUTC());
        var window = get("/api/graph?window=6h", null);
        assertThat(window.statusCode()).isEqualTo(400);
        assertThat(window.body()).contains("window must be one of");
        var path = get("/api/services/shop/orders/tail?path=orders", null);
        assertThat(path.statusCode()).isEqualTo(400);
        assertThat(path.body()).contains("path must be a path prefix starting with '/'");
        assertThat(get("/api/services/shop/orders/tail?limit=5000", null).body()).contains("limit must be between");
    }

    @Test
    void withTokensEveryApiCallNeedsOneButThePageDoesNot() throws Exception {
        console = ConsoleService.start(config(List.of(new BearerToken("ops", TOKEN, false))), null, Clock.systemUTC());
        assertThat(get("/api/graph", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/graph", "not-the-token-at-all").statusCode()).isEqualTo(401);
        assertThat(get("/api/graph", TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("/api/events", null).statusCode()).isEqualTo(401);
        assertThat(get("/", null).body()).contains("meshlog console");
        assertThat(get("/assets/echarts.min.js", null).statusCode()).isEqualTo(200);
    }

    @Test
    void theOpenApiDocumentListsEveryRoute() throws Exception {
        console = ConsoleService.start(config(List.of()), null, Clock.systemUTC());
        var document = get("/openapi.yaml", null).body();
        for (var path : ConsoleVerticle.API_PATHS) {
            assertThat(document).contains("\n  " + path + ":");
        }
    }

    @Test
    void theEventStreamAnnouncesAChange() throws Exception {
        console = ConsoleService.start(config(List.of()), null, Clock.systemUTC());
        var request = HttpRequest.newBuilder(URI.create(base() + "/api/events")).timeout(WITHIN).build();
        var response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        // Read before the write: the feed may fold the edge before this thread looks again.
        long before = console.model().version();
        try (var producer = new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(), new ByteArraySerializer());
                var lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            send(producer, topics.edges().name(), "a->b", MeshSerdes.edgeMetrics().serialize(null,
                    edge("a", "b", Instant.now(), 1, 0, 1)));
            // The stream never ends by itself: read it on another thread, for a bounded time.
            var update = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    String line;
                    do {
                        line = lines.readLine();
                    } while (line != null
                            && !(line.startsWith("data:") && new JsonObject(line.substring(5)).getLong("version") > before));
                    return line;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(update).as("an update event after the edge was written")
                    .succeedsWithin(Duration.ofSeconds(30)).isNotNull();
        }
    }

    private ConsoleConfig config(List<BearerToken> tokens) {
        return new ConsoleConfig("127.0.0.1", 0, kafka.bootstrapServers(), topics, tokens, Map.of());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    private String base() {
        return "http://127.0.0.1:" + console.port();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        if (path.equals("/api/events")) {
            return http.send(builder.build(), r -> HttpResponse.BodySubscribers.replacing(""));
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
