package io.meshlog.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.meshlog.cert.CertService;
import io.meshlog.cert.config.CertServiceConfig;
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
import io.meshlog.proxy.identity.IdentityConfig;
import io.meshlog.proxy.identity.SpiffeId;
import io.meshlog.proxy.mesh.MeshProxy;
import io.meshlog.proxy.mesh.MeshProxyConfig;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Istio-versioned documents ({@code networking.istio.io/v1beta1} DestinationRules and VirtualServices
 * with weights and fault injection in Istio's older integer {@code percent} form,
 * {@code security.istio.io/v1beta1} PeerAuthentication STRICT) applied unchanged with {@code meshctl
 * apply -f} through a real policy service, and enforced by mesh proxies that got their certificates
 * from a real cert-service: routing by weight and subset, the injected abort and delay, and STRICT
 * mTLS refusing a plaintext caller that PERMISSIVE had let in.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IstioPoliciesEnforcedIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String TOKEN = "istio-policies-enforced-it-token-0123";
    private static final String TRUST_DOMAIN = "cluster.local";
    /** 400 requests at 80/20: a standard deviation of 2 points; 8 points is 4 of them. */
    private static final int SPLIT_REQUESTS = 400;
    private static final double SPLIT_TOLERANCE_POINTS = 8.0;
    private static final List<String> KEYS = List.of("DestinationRule/default/reviews", "VirtualService/default/reviews",
            "DestinationRule/default/ratings", "VirtualService/default/ratings", "PeerAuthentication/default/default");

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<MeshProxy> proxies = new CopyOnWriteArrayList<>();
    private Path stateDir;
    private HazelcastInstance hazelcast;
    private TopicCatalogue topics;
    private String bootstrap;
    private PolicyService policy;
    private CertService certs;
    private MeshProxy productpage;
    private MeshProxy reviewsV1;

    @BeforeAll
    void mesh(SharedKafka kafka) throws Exception {
        bootstrap = kafka.bootstrapServers();
        topics = new TopicCatalogue(kafka.uniquePrefix());
        new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(topics.all());
        stateDir = Files.createTempDirectory("istio-policies-it");
        certs = CertService.start(new CertServiceConfig(TRUST_DOMAIN, stateDir, Duration.ofHours(24), topics,
                Map.of("bootstrap.servers", bootstrap), (short) 1, -1, null, Optional.empty()),
                new SimpleMeterRegistry(), Clock.systemUTC());
        policy = PolicyService.start(new PolicyServiceConfig("127.0.0.1", 0, bootstrap, topics,
                List.of(new BearerToken("tester", TOKEN, true)), false, PolicyServiceConfig.DEFAULT_PUBLISH_TIMEOUT,
                YamlLimits.DEFAULT, Map.of(), false));
        hazelcast = HazelcastConfigs.connect(new HazelcastSettings(HazelcastSettings.Mode.EMBEDDED,
                "it-" + UUID.randomUUID(), List.of("127.0.0.1"), HazelcastSettings.DEFAULT_PORT));
        reviewsV1 = start("reviews-v1", "reviews", Map.of("app", "reviews", "version", "v1"), app("reviews-v1"));
        start("reviews-v2", "reviews", Map.of("app", "reviews", "version", "v2"), app("reviews-v2"));
        start("ratings-v1", "ratings", Map.of("app", "ratings", "version", "v1"), app("ratings-v1"));
        productpage = start("productpage", null, Map.of("app", "productpage"), 0);
        await().atMost(TIMEOUT).until(() -> productpage.runtime().directory().endpoints("reviews").size() == 2
                && productpage.runtime().directory().endpoints("ratings").size() == 1);
    }

    @AfterAll
    void stop() throws Exception {
        proxies.forEach(MeshProxy::close);
        if (policy != null) {
            policy.close();
        }
        if (certs != null) {
            certs.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (hazelcast != null) {
            hazelcast.shutdown();
        }
    }

    @Test
    void istioV1beta1DocumentsAppliedWithMeshctlRouteByWeightInjectFaultsAndMakeMtlsStrict() throws Exception {
        // Given: without policies the inbound listener is PERMISSIVE, so a plaintext caller gets through
        assertThat(plaintextServed(reviewsV1)).as("PERMISSIVE before the documents").isTrue();

        // When
        var apply = MeshctlRun.run(policy.port(), TOKEN, "apply", "-f", resource("policies/istio-v1beta1-bookinfo.yaml"));

        // Then
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(proxies).allSatisfy(p ->
                assertThat(p.runtime().snapshots().current().generations()).containsKeys(KEYS.toArray(String[]::new))));
        var split = new TreeMap<String, Integer>();
        for (int i = 0; i < SPLIT_REQUESTS; i++) {
            split.merge(answer(call("reviews", Map.of())), 1, Integer::sum);
        }
        assertThat(split).as("only the two subsets answer, with 200").containsOnlyKeys("reviews-v1", "reviews-v2");
        double v1Share = 100.0 * split.get("reviews-v1") / SPLIT_REQUESTS;
        System.out.printf("reviews split over %d requests: %s (v1 %.1f %%)%n", SPLIT_REQUESTS, split, v1Share);
        assertThat(v1Share).isBetween(80 - SPLIT_TOLERANCE_POINTS, 80 + SPLIT_TOLERANCE_POINTS);

        var aborted = call("ratings", Map.of("end-user", "jason"));
        assertThat(aborted.statusCode()).as("abort percent: 100").isEqualTo(500);
        assertThat(aborted.headers().firstValue("x-response-flags")).hasValue("FI");
        long start = System.nanoTime();
        var delayed = call("ratings", Map.of("end-user", "slow"));
        long delayedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(answer(delayed)).isEqualTo("ratings-v1");
        assertThat(delayedMillis).as("delay percent: 100, fixedDelay 1500ms").isGreaterThanOrEqualTo(1500);
        assertThat(answer(call("ratings", Map.of()))).as("other users are neither aborted nor delayed").isEqualTo("ratings-v1");

        assertThat(plaintextServed(reviewsV1)).as("STRICT refuses a plaintext caller").isFalse();
        assertThat(answer(call("reviews", Map.of()))).as("mesh callers still get through over mTLS").startsWith("reviews-v");
    }

    /** Whether a plaintext request straight to {@code server}'s inbound listener reaches the app. */
    private boolean plaintextServed(MeshProxy server) {
        try {
            return plaintext(server).statusCode() == 200;
        } catch (IOException refused) {
            return false; // STRICT closes a plaintext connection
        }
    }

    private HttpResponse<String> plaintext(MeshProxy server) throws IOException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.inboundPort() + "/plain")));
    }

    private HttpResponse<String> call(String host, Map<String, String> headers) throws IOException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + productpage.outboundPort() + "/"))
                .header("Host", host);
        headers.forEach(request::header);
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String answer(HttpResponse<String> response) {
        return response.statusCode() == 200 ? response.headers().firstValue("x-upstream").orElse("no x-upstream")
                : "HTTP " + response.statusCode();
    }

    private static String resource(String name) throws URISyntaxException {
        var url = IstioPoliciesEnforcedIT.class.getClassLoader().getResource(name);
        assertThat(url).as("test resource %s", name).isNotNull();
        return Path.of(url.toURI()).toString();
    }

    /** A mesh proxy with its own identity from cert-service; an inbound listener when {@code appPort} is positive. */
    private MeshProxy start(String workload, String service, Map<String, String> labels, int appPort) throws Exception {
        var inbound = appPort > 0
                ? new InboundListenerConfig(new ListenerConfig("127.0.0.1", 0), "127.0.0.1", appPort, null) : null;
        var proxyConfig = new ProxyConfig(workload + "-proxy", workload, "default", labels,
                new ListenerConfig("127.0.0.1", 0), inbound, new ListenerConfig("127.0.0.1", 0), TelemetryMode.NONE);
        var config = MeshProxyConfig.of(proxyConfig, service, bootstrap, topics)
                .withHazelcast(null, new DiscoveryConfig(null, Duration.ofSeconds(3), Duration.ofSeconds(1)));
        var account = labels.get("app");
        var id = new SpiffeId(TRUST_DOMAIN, "default", account);
        var token = certs.tokens().issue("default", account, Duration.ofHours(1)).value();
        var identity = IdentityConfig.of(workload + "-proxy", id, token, topics, Map.of("bootstrap.servers", bootstrap));
        var proxy = new MeshProxy(config, hazelcast, Clock.systemUTC()).withIdentity(identity, "meshlog-system");
        proxies.add(proxy);
        return proxy.start(vertx).toCompletionStage().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** A real app answering 200 with its name in {@code x-upstream}. */
    private int app(String name) throws Exception {
        return vertx.createHttpServer().requestHandler(request -> request.body().onComplete(b ->
                        request.response().putHeader("x-upstream", name).end(name)))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }
}
