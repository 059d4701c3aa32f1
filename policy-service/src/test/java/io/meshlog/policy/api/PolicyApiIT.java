package io.meshlog.policy.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.policy.PolicyService;
import io.meshlog.policy.config.PolicyServiceConfig;
import io.meshlog.policy.parse.InvalidFixtures;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.v1.ConfigAck;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class PolicyApiIT {
    static final String TOKEN = "writer-token-0123456789";
    private static final String NS = "/apis/meshlog.io/v1/namespaces/";

    private static PolicyService service;
    private static TopicCatalogue topics;
    private static Http http;

    @BeforeAll
    static void start(SharedKafka kafka) {
        var prefix = kafka.uniquePrefix();
        topics = new TopicCatalogue(prefix);
        service = PolicyService.start(PolicyServiceConfig.forTests(kafka.bootstrapServers(), prefix, TOKEN));
        http = new Http(service.port());
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    static String destinationRule(String name, String namespace, String extraMetadata, String subsets) {
        return """
                apiVersion: meshlog.io/v1
                kind: DestinationRule
                metadata:
                  name: %s
                  namespace: %s
                  labels: {app: %s, team: shop}
                %s
                spec:
                  host: %s
                  subsets:
                %s
                """.formatted(name, namespace, name, extraMetadata, name, subsets);
    }

    static String subsets(String... names) {
        var out = new StringBuilder();
        for (var name : names) {
            out.append("  - {name: ").append(name).append(", labels: {version: ").append(name).append("}}\n");
        }
        return out.toString();
    }

    @Test
    void putGetListAndDeleteGoThroughTheTopic(SharedKafka kafka) {
        var path = NS + "crud/destinationrules/ratings";

        var created = http.put(path, destinationRule("ratings", "crud", "", subsets("v1", "v2")), TOKEN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().getString("result")).isEqualTo("created");
        assertThat(created.json().getLong("generation")).isEqualTo(1);

        var read = http.get(path);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().getJsonObject("metadata").getString("author")).isEqualTo("tester");
        assertThat(read.json().getJsonObject("spec").getJsonArray("subsets")).hasSize(2);

        assertThat(http.get(NS + "crud/destinationrules?labelSelector=team%3Dshop").json().getJsonArray("items")).hasSize(1);
        assertThat(http.get(NS + "crud/destinationrules?labelSelector=team%3Dother").json().getJsonArray("items")).isEmpty();
        assertThat(http.get("/apis/meshlog.io/v1/DestinationRule?labelSelector=app%3Dratings").json()
                .getJsonArray("items")).hasSize(1);

        var deleted = http.delete(path, TOKEN);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        var gone = http.get(path);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().getInteger("error_code")).isEqualTo(404);

        var records = TopicRecords.all(kafka, topics.policy().name()).stream()
                .filter(r -> r.key().equals("DestinationRule/crud/ratings")).toList();
        assertThat(records).hasSize(2);
        var event = MeshSerdes.policyEvent().deserialize(topics.policy().name(), records.get(0).value());
        assertThat(event.getGeneration()).isEqualTo(1);
        assertThat(((DestinationRuleSpec) event.getSpec()).getHost()).isEqualTo("ratings");
        assertThat(records.get(1).value()).as("tombstone").isNull();
    }

    @Test
    void aDryRunValidatesButPublishesNothing(SharedKafka kafka) {
        var path = NS + "dry/destinationrules/details";

        var answer = http.put(path + "?dryRun=true", destinationRule("details", "dry", "", subsets("v1")), TOKEN);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().getBoolean("dryRun")).isTrue();
        assertThat(http.get(path).status()).isEqualTo(404);
        assertThat(TopicRecords.all(kafka, topics.policy().name())).noneMatch(r -> r.key().contains("/dry/"));
    }

    @Test
    void aWriteBasedOnAStaleGenerationIsRefusedWith409() {
        var path = NS + "occ/destinationrules/cart";
        assertThat(http.put(path, destinationRule("cart", "occ", "", subsets("v1")), TOKEN).status()).isEqualTo(201);

        var fresh = http.put(path, destinationRule("cart", "occ", "  generation: 1", subsets("v1", "v2")), TOKEN);
        var stale = http.put(path, destinationRule("cart", "occ", "  generation: 1", subsets("v3")), TOKEN);

        assertThat(fresh.status()).as(fresh.body()).isEqualTo(200);
        assertThat(fresh.json().getLong("generation")).isEqualTo(2);
        assertThat(stale.status()).as(stale.body()).isEqualTo(409);
        assertThat(stale.json().getString("message")).contains("is at generation 2", "based on generation 1");
        assertThat(http.get(path).json().getJsonObject("spec").getJsonArray("subsets")).hasSize(2);
    }

    @Test
    void historyShowsEveryVersionAndRollbackRestoresAnOlderSpec() {
        var path = NS + "hist/destinationrules/payments";
        http.put(path, destinationRule("payments", "hist", "", subsets("v1")), TOKEN);
        http.put(path, destinationRule("payments", "hist", "", subsets("v1", "v2")), TOKEN);
        http.put(path, destinationRule("payments", "hist", "", subsets("v2")), TOKEN);

        var rolledBack = http.post(path + "/rollback?to=1", TOKEN);
        var history = http.get(path + "/history").json().getJsonArray("items");

        assertThat(rolledBack.status()).as(rolledBack.body()).isEqualTo(200);
        assertThat(rolledBack.json().getLong("generation")).isEqualTo(4);
        assertThat(history).hasSize(4);
        assertThat(history.getJsonObject(0).getString("author")).isEqualTo("tester");
        assertThat(history.getJsonObject(1).getJsonArray("changes").encode()).contains("spec.subsets[1].name", "v2");
        var current = http.get(path).json();
        assertThat(current.getJsonObject("metadata").getLong("generation")).isEqualTo(4);
        assertThat(current.getJsonObject("spec").getJsonArray("subsets").encode()).contains("\"v1\"").doesNotContain("\"v2\"");
        assertThat(http.post(path + "/rollback?to=9", TOKEN).status()).isEqualTo(404);
    }

    @Test
    void writesNeedAWriterTokenAndReadsAreOpen() {
        var path = NS + "auth/destinationrules/users";

        var anonymous = http.put(path, destinationRule("users", "auth", "", subsets("v1")), null);
        var unknown = http.put(path, destinationRule("users", "auth", "", subsets("v1")), "not-the-token-at-all");

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.raw().headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(anonymous.json().getString("message")).contains("Bearer");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(http.delete(path, null).status()).isEqualTo(401);
        assertThat(http.get(path).status()).isEqualTo(404);
    }

    @Test
    void invalidDocumentsAre422WithEveryViolationAndUnparseableOnesAre400() {
        var path = NS + "default/virtualservices/reviews";
        var body = """
                apiVersion: meshlog.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews}
                      weight: 140
                    retries: {attempts: -1}
                """;

        var invalid = http.put(path, body, TOKEN);
        var unparseable = http.put(path, "kind: [", TOKEN);

        assertThat(invalid.status()).as(invalid.body()).isEqualTo(422);
        var violations = invalid.json().getJsonArray("validation_errors").encode();
        assertThat(violations).contains("\"path\":\"spec.http[0].route[0].weight\",\"line\":9",
                "\"path\":\"spec.http[0].retries.attempts\",\"line\":10");
        assertThat(unparseable.status()).isEqualTo(400);
        assertThat(unparseable.json().getString("message")).contains("not valid YAML");
    }

    @Test
    void aRouteToASubsetTheDestinationRuleDoesNotDefineIsRefused() {
        http.put(NS + "subsets/destinationrules/inventory", destinationRule("inventory", "subsets", "", subsets("v1")), TOKEN);
        var body = """
                apiVersion: meshlog.io/v1
                kind: VirtualService
                metadata: {name: inventory, namespace: subsets}
                spec:
                  hosts: [inventory]
                  http:
                  - route:
                    - destination: {host: inventory, subset: v9}
                """;

        var answer = http.put(NS + "subsets/virtualservices/inventory", body, TOKEN);

        assertThat(answer.status()).as(answer.body()).isEqualTo(422);
        assertThat(answer.json().getJsonArray("validation_errors").getJsonObject(0).getString("path"))
                .isEqualTo("spec.http[0].route[0].destination.subset");

        assertThat(http.put(NS + "subsets/virtualservices/inventory", body.replace("v9", "v1"), TOKEN).status()).isEqualTo(201);
        var dropped = http.put(NS + "subsets/destinationrules/inventory", destinationRule("inventory", "subsets", "",
                subsets("v2")), TOKEN);
        assertThat(dropped.status()).as(dropped.body()).isEqualTo(200);
        assertThat(dropped.json().getJsonArray("warnings").encode())
                .contains("VirtualService subsets/inventory routes to subset \\\"v1\\\", which this DestinationRule no longer defines");
    }

    @Test
    void proxiesAreListedWithTheirLag(SharedKafka kafka) {
        var path = NS + "lag/destinationrules/search";
        http.put(path, destinationRule("search", "lag", "", subsets("v1")), TOKEN);
        http.put(path, destinationRule("search", "lag", "", subsets("v2")), TOKEN);
        try (var producer = new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(),
                MeshSerdes.configAck().serializer())) {
            producer.send(new ProducerRecord<>(topics.configAcks().name(), "proxy-a", ack("proxy-a",
                    Map.of("DestinationRule/lag/search", 1L))));
            producer.flush();
        }

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
            var proxies = http.get("/apis/meshlog.io/v1/proxies").json().getJsonArray("items");
            assertThat(proxies).hasSize(1);
            var proxy = proxies.getJsonObject(0);
            assertThat(proxy.getString("proxyId")).isEqualTo("proxy-a");
            assertThat(proxy.getJsonArray("lagging").encode()).contains("DestinationRule/lag/search", "\"applied\":1",
                    "\"current\":2");
        });
    }

    @Test
    void healthOpenApiAndMetricsAreServed() {
        http.put(NS + "metrics/destinationrules/bad", "apiVersion: meshlog.io/v1\nkind: DestinationRule\nmetadata: {name: bad}\nspec: {}\n", TOKEN);
        http.put(NS + "metrics/destinationrules/good", destinationRule("good", "metrics", "", subsets("v1")), TOKEN);

        assertThat(http.get("/health").json().getString("status")).isEqualTo("UP");
        assertThat(http.get("/openapi.json").json().getJsonObject("paths").fieldNames())
                .contains("/apis/meshlog.io/v1/namespaces/{ns}/{kind}/{name}", "/apis/meshlog.io/v1/proxies");
        var metrics = http.get("/metrics").body();
        assertThat(metrics).contains("meshlog_policy_requests_total", "meshlog_policy_validation_failures_total{kind=\"DestinationRule\"}",
                "meshlog_policy_publish_latency_seconds");
    }

    @Test
    void noInvalidFixtureReachesTheTopic(SharedKafka kafka) throws Exception {
        var prefix = kafka.uniquePrefix();
        try (var isolated = PolicyService.start(PolicyServiceConfig.forTests(kafka.bootstrapServers(), prefix, TOKEN))) {
            var client = new Http(isolated.port());
            for (var fixture : InvalidFixtures.all()) {
                var answer = client.put(NS + "default/destinationrules/reviews", Files.readString(fixture.file()), TOKEN);
                assertThat(answer.status()).as(fixture + ": " + answer.body()).isIn(400, 422);
                assertThat(answer.json().getJsonArray("validation_errors")).as(fixture.toString()).isNotEmpty();
            }
        }

        assertThat(TopicRecords.all(kafka, new TopicCatalogue(prefix).policy().name())).isEmpty();
    }

    @Test
    void aNewInstanceOnTheSameTopicRebuildsTheSameView(SharedKafka kafka) throws Exception {
        var prefix = kafka.uniquePrefix();
        var config = PolicyServiceConfig.forTests(kafka.bootstrapServers(), prefix, TOKEN);
        String before;
        String historyBefore;
        try (var first = PolicyService.start(config)) {
            var client = new Http(first.port());
            client.put(NS + "default/destinationrules/reviews", Files.readString(Path.of("examples/reviews-destinationrule.yaml")), TOKEN);
            client.put(NS + "default/virtualservices/reviews", Files.readString(Path.of("examples/reviews-virtualservice.yaml")), TOKEN);
            client.put(NS + "x/destinationrules/gone", destinationRule("gone", "x", "", subsets("v1")), TOKEN);
            client.delete(NS + "x/destinationrules/gone", TOKEN);
            client.put(NS + "default/destinationrules/reviews", Files.readString(Path.of("examples/reviews-destinationrule.yaml"))
                    .replace("maxConnections: 100", "maxConnections: 64"), TOKEN);
            before = client.get("/apis/meshlog.io/v1/destinationrules").body() + client.get("/apis/meshlog.io/v1/virtualservices").body();
            historyBefore = client.get(NS + "default/destinationrules/reviews/history").body();
        }

        try (var second = PolicyService.start(config)) {
            var client = new Http(second.port());
            assertThat(client.get("/apis/meshlog.io/v1/destinationrules").body() + client.get("/apis/meshlog.io/v1/virtualservices").body())
                    .isEqualTo(before);
            assertThat(client.get(NS + "default/destinationrules/reviews/history").body()).isEqualTo(historyBefore);
            assertThat(client.get(NS + "x/destinationrules/gone").status()).isEqualTo(404);
            var next = client.put(NS + "default/destinationrules/reviews", Files.readString(Path.of("examples/reviews-destinationrule.yaml")), TOKEN);
            assertThat(next.json().getLong("generation")).isEqualTo(3);
        }
    }

    static ConfigAck ack(String proxyId, Map<String, Long> generations) {
        return ConfigAck.newBuilder().setProxyId(proxyId).setWorkload("search").setNamespace("lag").setSnapshotVersion(1)
                .setGenerations(generations).setAppliedAt(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)).build();
    }

}
