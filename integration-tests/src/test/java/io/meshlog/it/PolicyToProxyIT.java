package io.meshlog.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.meshlog.policy.PolicyService;
import io.meshlog.schemas.auth.BearerToken;
import io.meshlog.policy.config.PolicyServiceConfig;
import io.meshlog.policy.parse.YamlLimits;
import io.meshlog.proxy.config.InboundListenerConfig;
import io.meshlog.proxy.config.ListenerConfig;
import io.meshlog.proxy.config.ProxyConfig;
import io.meshlog.proxy.config.TelemetryMode;
import io.meshlog.proxy.discovery.DiscoveryConfig;
import io.meshlog.proxy.discovery.HazelcastConfigs;
import io.meshlog.proxy.discovery.HazelcastSettings;
import io.meshlog.proxy.mesh.MeshProxy;
import io.meshlog.proxy.mesh.MeshProxyConfig;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.schemas.v1.ConfigAck;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 5's "Done when" with real parts: a real policy service, {@code meshctl} run in-process,
 * three caller mesh proxies and the {@code reviews} service as two real Vert.x apps (subsets v1
 * and v2), each behind its own mesh proxy's inbound listener; one broker, one Hazelcast member.
 *
 * <p>The three tests are the steps of one story on one mesh and run in order: apply the seed's
 * DestinationRule and VirtualService with {@code --wait} while one caller's proxy is down (apply
 * returns once that proxy is back and has acknowledged); change the VirtualService, read its
 * history and roll back to generation 1; restart the policy service.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyToProxyIT {
    static {
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String TOKEN = "policy-to-proxy-it-token-0123456789";
    private static final Path SEED_DR = Path.of("..", "policy-service", "examples", "reviews-destinationrule.yaml");
    private static final Path SEED_VS = Path.of("..", "policy-service", "examples", "reviews-virtualservice.yaml");
    private static final String DR_KEY = "DestinationRule/default/reviews";
    private static final String VS_KEY = "VirtualService/default/reviews";
    private static final String V1 = "reviews-v1";
    private static final String V2 = "reviews-v2";
    private static final int CALLERS = 3;
    private static final int PROXIES = CALLERS + 2;
    /** 3 × 200 requests: a fair 90/10 draw has a standard deviation of 1.2 points. */
    private static final int SPLIT_REQUESTS_PER_CALLER = 200;
    /** More than 4 standard deviations: a correct proxy fails this about once in 20,000 runs. */
    private static final double SPLIT_TOLERANCE_POINTS = 5.0;
    private static final int CANARY_REQUESTS_PER_CALLER = 20;

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService traffic = Executors.newFixedThreadPool(CALLERS);
    private final List<MeshProxy> proxies = new CopyOnWriteArrayList<>();
    private final List<MeshProxy> callers = new CopyOnWriteArrayList<>();
    private HazelcastInstance hazelcast;
    private TopicCatalogue topics;
    private String bootstrap;
    private PolicyServiceConfig policyConfig;
    private PolicyService policy;

    @BeforeAll
    void mesh(SharedKafka kafka) throws Exception {
        assertThat(SEED_DR).as("the seed examples, read from policy-service/examples").isRegularFile();
        assertThat(SEED_VS).isRegularFile();
        bootstrap = kafka.bootstrapServers();
        topics = new TopicCatalogue(kafka.uniquePrefix());
        new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(topics.all());
        // The topics exist: the service does not create them (a describe right after another client's
        // create can fail with UnknownTopicOrPartition while the broker's metadata catches up).
        policyConfig = new PolicyServiceConfig("127.0.0.1", 0, bootstrap, topics, List.of(new BearerToken("tester", TOKEN, true)),
                false, PolicyServiceConfig.DEFAULT_PUBLISH_TIMEOUT, YamlLimits.DEFAULT, Map.of(), false);
        policy = PolicyService.start(policyConfig);
        hazelcast = HazelcastConfigs.connect(new HazelcastSettings(HazelcastSettings.Mode.EMBEDDED,
                "it-" + UUID.randomUUID(), List.of("127.0.0.1"), HazelcastSettings.DEFAULT_PORT));
        for (var version : List.of("v1", "v2")) {
            var app = app("reviews-" + version);
            start(config("reviews-" + version + "-proxy", "reviews-" + version,
                    Map.of("app", "reviews", "version", version), "reviews", app.actualPort()));
        }
        for (int i = 1; i <= CALLERS; i++) {
            callers.add(start(config("caller-" + i + "-proxy", "caller-" + i, Map.of("app", "caller-" + i), null, 0)));
        }
        await().atMost(TIMEOUT).until(() -> callers.stream()
                .allMatch(c -> c.runtime().directory().endpoints("reviews").size() == 2));
        // --wait waits for the proxies the policy service knows: every proxy has acked its empty start.
        await().atMost(TIMEOUT).until(() -> statusItems().size() == PROXIES);
    }

    @AfterAll
    void stop() throws Exception {
        traffic.shutdownNow();
        proxies.forEach(MeshProxy::close);
        if (policy != null) {
            policy.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (hazelcast != null) {
            hazelcast.shutdown();
        }
    }

    @Test
    @Order(1)
    void applyWaitReturnsOnlyOnceEveryProxyAcknowledgedTheSeedAndTheProxiesEnforceIt() throws Exception {
        // Given: one caller's proxy shuts down cleanly; its tombstone takes it out of the live proxies at once
        var down = callers.get(CALLERS - 1);
        var downId = down.config().proxy().proxyId();
        down.close();
        proxies.remove(down);
        await().atMost(TIMEOUT).until(() -> !meshctl("status").out().contains(downId));

        // When
        var run = meshctl("apply", "-f", SEED_DR.toString(), "-f", SEED_VS.toString(), "--wait", "--timeout", "30s");
        var enforcedAtReturn = enforcedGenerations(); // every live proxy's snapshot at the moment apply returned
        callers.set(CALLERS - 1, start(down.config())); // it comes back and replays the policy log

        // Then
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("destinationrule default/reviews created (generation 1)",
                "virtualservice default/reviews created (generation 1)",
                "all " + (PROXIES - 1) + " proxies applied the new generations");
        assertThat(enforcedAtReturn).as("every live proxy's snapshot at the moment apply returned").hasSize(PROXIES - 1)
                .allSatisfy((proxy, generations) -> assertThat(generations).as(proxy)
                        .containsEntry(DR_KEY, 1L).containsEntry(VS_KEY, 1L));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(latestAcks())
                .as("every proxy's last ConfigAck on the acks topic, the returning one's included").hasSize(PROXIES)
                .allSatisfy((proxy, ack) -> assertThat(ack).as(proxy).isNotNull()
                        .satisfies(a -> assertThat(a.getGenerations()).containsEntry(DR_KEY, 1L).containsEntry(VS_KEY, 1L))));
        assertTheSeedIsEnforced();
    }

    @Test
    @Order(2)
    void historyShowsEveryVersionAndRollbackRestoresTheSeedWhichTheProxiesEnforce() throws Exception {
        // Given
        var second = meshctl("apply", "-f", resource("policies/reviews-virtualservice-all-v2.yaml"),
                "--wait", "--timeout", "30s");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).contains("virtualservice default/reviews configured (generation 2)");
        assertThat(send(CANARY_REQUESTS_PER_CALLER, Map.of())).as("generation 2 sends everything to v2")
                .containsOnlyKeys(V2);

        // When
        var rollback = meshctl("rollback", "virtualservice", "reviews", "--to", "1");

        // Then
        assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
        assertThat(rollback.out()).contains("virtualservice default/reviews rolled back to generation 1 as generation 3");
        var history = meshctl("history", "virtualservice", "reviews");
        assertThat(history.exitCode()).as(history.toString()).isZero();
        assertThat(history.out().lines().skip(1).map(line -> line.split("\\s+")[0]))
                .as("one row per version").containsExactly("1", "2", "3");
        var versions = items(new JsonObject(meshctl("history", "vs", "reviews", "-o", "json").out()));
        assertThat(versions).extracting(v -> v.getLong("generation")).containsExactly(1L, 2L, 3L);
        assertThat(versions).extracting(v -> v.getString("author")).containsOnly("tester");
        assertThat(versions.get(1).getJsonArray("changes")).as("what generation 2 changed").isNotEmpty();
        assertThat(spec(versions.get(2))).as("generation 3 is generation 1's spec").isEqualTo(spec(versions.get(0)))
                .isNotEqualTo(spec(versions.get(1)));
        assertThat(new JsonObject(meshctl("get", "vs", "reviews", "-o", "json").out()).getJsonObject("spec"))
                .isEqualTo(spec(versions.get(0)));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(enforcedGenerations())
                .allSatisfy((proxy, generations) -> assertThat(generations).as(proxy).containsEntry(VS_KEY, 3L)));
        assertTheSeedIsEnforced();
    }

    @Test
    @Order(3)
    void restartingThePolicyServiceLosesNothingAndChangesNothingTheProxiesEnforce() {
        // Given
        var before = observe();

        // When
        policy.close();
        policy = PolicyService.start(policyConfig);

        // Then
        var after = observe();
        assertThat(after.policyTopicEnd()).as("the restarted service published nothing").isEqualTo(before.policyTopicEnd());
        assertThat(after.destinationRule()).as("get dr reviews -o json").isEqualTo(before.destinationRule());
        assertThat(after.virtualService()).as("get vs reviews -o json").isEqualTo(before.virtualService());
        assertThat(after.virtualServices()).as("get vs -o json").isEqualTo(before.virtualServices());
        assertThat(after.history()).as("history vs reviews -o json").isEqualTo(before.history());
        assertThat(after.acked()).as("status: what each proxy acknowledged").isEqualTo(before.acked());
        assertThat(after.snapshotVersions()).as("no proxy applied a new snapshot").isEqualTo(before.snapshotVersions());
        assertThat(after.enforced()).as("no new generations on any proxy").isEqualTo(before.enforced())
                .allSatisfy((proxy, generations) -> assertThat(generations).containsEntry(DR_KEY, 1L)
                        .containsEntry(VS_KEY, 3L));
        assertTheSeedIsEnforced();
        var reapplied = meshctl("apply", "-f", SEED_VS.toString());
        assertThat(reapplied.out()).as("the rebuilt view knows the spec in force")
                .contains("virtualservice default/reviews unchanged (generation 3)");
        assertThat(policyTopicEnd()).isEqualTo(before.policyTopicEnd());
    }

    /** Canary users always reach v2; everyone else is split 90/10 between v1 and v2. */
    private void assertTheSeedIsEnforced() {
        var canary = send(CANARY_REQUESTS_PER_CALLER, Map.of("x-canary-user", "true"));
        assertThat(canary).as("the canary header goes to v2 always").containsOnlyKeys(V2);
        var split = send(SPLIT_REQUESTS_PER_CALLER, Map.of());
        int total = CALLERS * SPLIT_REQUESTS_PER_CALLER;
        assertThat(split).as("only v1 and v2 answer, with 200").containsOnlyKeys(V1, V2);
        double v1Share = 100.0 * split.get(V1) / total;
        System.out.printf("split over %d requests: %s (v1 %.1f %%)%n", total, split, v1Share);
        assertThat(v1Share).as("v1's share of %d requests (%s)", total, split)
                .isBetween(90 - SPLIT_TOLERANCE_POINTS, 90 + SPLIT_TOLERANCE_POINTS);
    }

    /** Every caller sends {@code perCaller} requests to reviews at once; counts answers by who answered. */
    private Map<String, Integer> send(int perCaller, Map<String, String> headers) {
        var counts = new ConcurrentHashMap<String, Integer>();
        var runs = callers.stream().map(caller -> CompletableFuture.runAsync(() -> {
            for (int i = 0; i < perCaller; i++) {
                counts.merge(answer(caller, headers), 1, Integer::sum);
            }
        }, traffic)).toArray(CompletableFuture<?>[]::new);
        CompletableFuture.allOf(runs).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        return new TreeMap<>(counts);
    }

    /** Who answered one request through {@code caller}'s outbound listener: the app's name, or the status. */
    private String answer(MeshProxy caller, Map<String, String> headers) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + caller.outboundPort() + "/reviews/1"))
                .header("Host", "reviews").timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        try {
            var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.headers().firstValue("x-upstream").orElse("no x-upstream")
                    : "HTTP " + response.statusCode() + " " + response.headers().firstValue("x-response-flags").orElse("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** What the policy service shows and the proxies enforce, for comparing across a restart. */
    private record Observed(Map<TopicPartition, Long> policyTopicEnd, JsonObject destinationRule, JsonObject virtualService,
            JsonObject virtualServices, JsonObject history, Map<String, JsonObject> acked,
            Map<String, Long> snapshotVersions, Map<String, Map<String, Long>> enforced) {}

    private Observed observe() {
        var acked = statusItems().stream().collect(Collectors.toMap(p -> p.getString("proxyId"),
                p -> p.getJsonObject("generations"), (a, b) -> a, TreeMap::new));
        var versions = proxies.stream().collect(Collectors.toMap(p -> p.config().proxy().proxyId(),
                p -> p.runtime().snapshots().current().version(), (a, b) -> a, TreeMap::new));
        return new Observed(policyTopicEnd(), json("get", "dr", "reviews", "-o", "json"),
                json("get", "vs", "reviews", "-o", "json"), json("get", "vs", "-o", "json"),
                json("history", "vs", "reviews", "-o", "json"), acked, versions, enforcedGenerations());
    }

    /** Each proxy's id to the generations in its current snapshot. */
    private Map<String, Map<String, Long>> enforcedGenerations() {
        return proxies.stream().filter(p -> p.runtime() != null).collect(Collectors.toMap(p -> p.config().proxy().proxyId(),
                p -> p.runtime().snapshots().current().generations(), (a, b) -> a, TreeMap::new));
    }

    /** {@code meshctl status -o json}: one item per proxy that has acknowledged something. */
    private List<JsonObject> statusItems() {
        return items(json("status", "-o", "json"));
    }

    private JsonObject json(String... args) {
        var run = meshctl(args);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return new JsonObject(run.out());
    }

    private static List<JsonObject> items(JsonObject list) {
        var items = list.getJsonArray("items", new JsonArray());
        var out = new ArrayList<JsonObject>();
        for (int i = 0; i < items.size(); i++) {
            out.add(items.getJsonObject(i));
        }
        return out;
    }

    private static JsonObject spec(JsonObject version) {
        return version.getJsonObject("object").getJsonObject("spec");
    }

    private MeshctlRun meshctl(String... args) {
        return MeshctlRun.run(policy.port(), TOKEN, args);
    }

    /** The last ConfigAck of every proxy on the acks topic. */
    private Map<String, ConfigAck> latestAcks() {
        var acks = new TreeMap<String, ConfigAck>();
        readAll(topics.configAcks().name(), MeshSerdes.configAck(), (key, ack) -> acks.put(key, ack));
        return acks;
    }

    private Map<TopicPartition, Long> policyTopicEnd() {
        var end = new HashMap<TopicPartition, Long>();
        withConsumer(topics.policy().name(), new ByteArrayDeserializer(), (consumer, partitions) ->
                end.putAll(consumer.endOffsets(partitions)));
        return end;
    }

    private <V> void readAll(String topic, Deserializer<V> values, BiConsumer<String, V> sink) {
        withConsumer(topic, values, (consumer, partitions) -> {
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            var deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("read %s to its end in time", topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(r -> sink.accept(r.key(), r.value()));
            }
        });
    }

    private <V> void withConsumer(String topic, Deserializer<V> values,
            BiConsumer<KafkaConsumer<String, V>, List<TopicPartition>> action) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringDeserializer(), values)) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            action.accept(consumer, partitions);
        }
    }

    private static String resource(String name) throws URISyntaxException {
        var url = PolicyToProxyIT.class.getClassLoader().getResource(name);
        assertThat(url).as("test resource %s", name).isNotNull();
        return Path.of(url.toURI()).toString();
    }

    private MeshProxyConfig config(String id, String workload, Map<String, String> labels, String service, int appPort) {
        var inbound = appPort > 0
                ? new InboundListenerConfig(new ListenerConfig("127.0.0.1", 0), "127.0.0.1", appPort, null) : null;
        var proxy = new ProxyConfig(id, workload, "default", labels, new ListenerConfig("127.0.0.1", 0), inbound,
                new ListenerConfig("127.0.0.1", 0), TelemetryMode.NONE);
        return MeshProxyConfig.of(proxy, service, bootstrap, topics)
                .withHazelcast(null, new DiscoveryConfig(null, Duration.ofSeconds(3), Duration.ofSeconds(1)));
    }

    private MeshProxy start(MeshProxyConfig config) throws Exception {
        var proxy = new MeshProxy(config, hazelcast, Clock.systemUTC());
        proxies.add(proxy);
        return proxy.start(vertx).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** A real app that answers every request with 200 and its name in {@code x-upstream}. */
    private HttpServer app(String name) throws Exception {
        return vertx.createHttpServer().requestHandler(request -> request.body().onComplete(b ->
                        request.response().putHeader("x-upstream", name).end(name)))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
