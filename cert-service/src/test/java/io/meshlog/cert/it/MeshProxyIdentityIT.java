package io.meshlog.cert.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.proxy.bootstrap.BootstrapLoader;
import io.meshlog.proxy.discovery.HazelcastConfigs;
import io.meshlog.proxy.discovery.HazelcastSettings;
import io.meshlog.proxy.identity.SpiffeId;
import io.meshlog.proxy.mesh.MeshProxy;
import io.meshlog.proxy.mesh.MeshProxyConfigLoader;
import io.meshlog.proxy.policy.PolicyState;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.ResponseFlag;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control-plane proxies ({@link MeshProxy}, configured as {@code ProxyMain --mesh} is, from
 * {@code MESHLOG_PROXY_*} with the join token in a file) get their certificates from the real
 * cert-service over Kafka, find each other through a real Hazelcast registry with their SPIFFE
 * ids, and enforce PeerAuthentication and AuthorizationPolicy published on the policy topic.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MeshProxyIdentityIT {
    static {
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final SpiffeId ORDERS = MeshFixture.id("default", "order-service");
    private static final SpiffeId GATEWAY = MeshFixture.id("default", "api-gateway");
    private static final SpiffeId REPORTING = MeshFixture.id("default", "reporting");
    private static final String POLICIES = """
            {"apiVersion": "security.istio.io/v1beta1", "kind": "PeerAuthentication",
             "metadata": {"namespace": "default", "name": "orders"},
             "spec": {"selector": {"matchLabels": {"app": "order-service"}}, "mtls": {"mode": "STRICT"}}}
            ---
            {"apiVersion": "security.istio.io/v1beta1", "kind": "AuthorizationPolicy",
             "metadata": {"namespace": "default", "name": "orders-callers"},
             "spec": {"selector": {"matchLabels": {"app": "order-service"}}, "action": "ALLOW",
              "rules": [{"from": [{"source": {"principals": ["cluster.local/ns/default/sa/api-gateway"]}}]}]}}""";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void meshProxiesWithIdentitiesFromConfigTalkMtlsThroughTheRegistryAndEnforcePolicyFromKafka(SharedKafka kafka)
            throws Exception {
        var vertx = Vertx.vertx();
        var hazelcastCluster = "it-" + UUID.randomUUID();
        var hazelcast = HazelcastConfigs.connect(new HazelcastSettings(HazelcastSettings.Mode.EMBEDDED,
                hazelcastCluster, List.of("127.0.0.1"), HazelcastSettings.DEFAULT_PORT));
        var proxies = new ArrayList<MeshProxy>();
        try (var mesh = new MeshFixture(kafka, dir.resolve("ca"), Duration.ofHours(24))) {
            new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(mesh.topics.all());
            publish(kafka.bootstrapServers(), mesh.topics.policy().name(), POLICIES);
            var app = SecureProxies.await(vertx.createHttpServer().requestHandler(request -> request.body()
                    .onComplete(b -> request.response().end("xfcc=" + request.getHeader("x-forwarded-client-cert"))))
                    .listen(0, "127.0.0.1"));
            var common = Map.of("MESHLOG_PROXY_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "MESHLOG_PROXY_TOPIC_PREFIX", mesh.topics.prefix(), "MESHLOG_PROXY_OUTBOUND_PORT", "0",
                    "MESHLOG_PROXY_INBOUND_PORT", "0", "MESHLOG_PROXY_ADMIN_PORT", "0",
                    "MESHLOG_PROXY_HAZELCAST_CLUSTER_NAME", hazelcastCluster, "MESHLOG_PROXY_DISCOVERY_TTL", "3s",
                    "MESHLOG_PROXY_DISCOVERY_HEARTBEAT_INTERVAL", "1s", "MESHLOG_PROXY_TRUST_DOMAIN",
                    MeshFixture.TRUST_DOMAIN);

            var orders = start(vertx, hazelcast, proxies, env(common, mesh, ORDERS, "orders-1",
                    Map.of("MESHLOG_PROXY_APP_PORT", String.valueOf(app.actualPort()),
                            "MESHLOG_PROXY_LABELS", "app=order-service,version=v1")));
            var gateway = start(vertx, hazelcast, proxies, env(common, mesh, GATEWAY, "gateway-1",
                    Map.of("MESHLOG_PROXY_LABELS", "app=api-gateway")));
            var reporting = start(vertx, hazelcast, proxies, env(common, mesh, REPORTING, "reporting-1",
                    Map.of("MESHLOG_PROXY_LABELS", "app=reporting")));

            assertThat(orders.isReady()).isTrue();
            assertThat(admin(orders, "/ready").statusCode()).isEqualTo(200);
            assertThat(orders.registeredEndpoint().spiffeId()).isEqualTo(ORDERS.uri());
            assertThat(admin(gateway, "/certs").body()).contains(GATEWAY.uri());
            org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> proxies.stream()
                    .allMatch(p -> p.runtime().directory().endpoints("order-service").size() == 1));

            var first = call(gateway, "order-service", "/orders/1", "allowed-1");
            var second = call(gateway, "order-service", "/orders/2", "allowed-2");
            var denied = call(reporting, "order-service", "/orders/3", "denied-1");

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).as("what the app received").contains("URI=" + GATEWAY.uri())
                    .contains("By=" + ORDERS.uri());
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.body()).contains("RBAC: access denied");
            assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + orders.inboundPort() + "/orders/4")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()))
                    .as("STRICT: a plaintext client is refused").isInstanceOf(IOException.class);

            var events = telemetry(kafka.bootstrapServers(), mesh.topics.telemetry().name(),
                    List.of("allowed-1", "allowed-2", "denied-1"));
            var firstOut = event(events, "allowed-1", Reporter.SOURCE);
            assertThat(firstOut.getProxyId()).isEqualTo("gateway-1");
            assertThat(firstOut.getMtls()).as("the try went over mTLS").isTrue();
            assertThat(firstOut.getTlsHandshakeMicros()).as("a new TLS connection").isPositive();
            var secondOut = event(events, "allowed-2", Reporter.SOURCE);
            assertThat(secondOut.getMtls()).isTrue();
            assertThat(secondOut.getTlsHandshakeMicros()).as("the connection was reused").isZero();
            var firstIn = event(events, "allowed-1", Reporter.DESTINATION);
            assertThat(firstIn.getProxyId()).isEqualTo("orders-1");
            assertThat(firstIn.getSourcePrincipal()).isEqualTo(GATEWAY.uri());
            assertThat(firstIn.getMtls()).isTrue();
            var deniedIn = event(events, "denied-1", Reporter.DESTINATION);
            assertThat(deniedIn.getStatus()).isEqualTo(403);
            assertThat(deniedIn.getSourcePrincipal()).isEqualTo(REPORTING.uri());
            assertThat(deniedIn.getResponseFlags()).contains(ResponseFlag.UAEX);
        } finally {
            proxies.forEach(MeshProxy::close);
            SecureProxies.await(vertx.close());
            hazelcast.shutdown();
        }
    }

    /** A sidecar's environment as compose sets it, the join token written to a file first. */
    private Map<String, String> env(Map<String, String> common, MeshFixture mesh, SpiffeId id, String proxyId,
            Map<String, String> own) throws IOException {
        var tokenFile = Files.writeString(dir.resolve(id.serviceAccount() + ".token"), mesh.token(id) + "\n");
        var env = new HashMap<>(common);
        env.putAll(own);
        env.put("MESHLOG_PROXY_ID", proxyId);
        env.put("MESHLOG_PROXY_WORKLOAD", id.serviceAccount());
        env.put("MESHLOG_PROXY_SERVICE_ACCOUNT", id.serviceAccount());
        env.put("MESHLOG_PROXY_JOIN_TOKEN_FILE", tokenFile.toString());
        return env;
    }

    /** As {@code MeshProxyProcess} does: the identity from the config, then start. */
    private static MeshProxy start(Vertx vertx, com.hazelcast.core.HazelcastInstance hazelcast,
            List<MeshProxy> proxies, Map<String, String> env) throws Exception {
        var config = MeshProxyConfigLoader.load(null, env);
        var proxy = new MeshProxy(config, hazelcast, Clock.systemUTC())
                .withIdentity(config.identityConfig(), config.identity().rootNamespace());
        proxies.add(proxy);
        return proxy.start(vertx).toCompletionStage().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private HttpResponse<String> call(MeshProxy caller, String host, String path, String requestId) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + caller.outboundPort() + path))
                .header("Host", host).header("x-request-id", requestId).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> admin(MeshProxy proxy, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.adminPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void publish(String bootstrap, String topic, String json) throws Exception {
        var events = BootstrapLoader.policies(json, "test-policies");
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (var event : events) {
                producer.send(new ProducerRecord<>(topic, PolicyState.keyOf(event),
                        MeshSerdes.policyEvent().serialize(topic, event))).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The telemetry of {@code requestIds}, read until both reporters' events of each have arrived. */
    private static List<RequestTelemetry> telemetry(String bootstrap, String topic, List<String> requestIds) {
        var events = new ArrayList<RequestTelemetry>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap), new StringDeserializer(), MeshSerdes.requestTelemetry())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (events.size() < 2 * requestIds.size() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (requestIds.contains(r.value().getRequestId())) {
                        events.add(r.value());
                    }
                });
            }
        }
        return events;
    }

    private static RequestTelemetry event(List<RequestTelemetry> events, String requestId, Reporter reporter) {
        var matching = events.stream()
                .filter(e -> e.getRequestId().equals(requestId) && e.getReporter() == reporter).toList();
        assertThat(matching).as("%s telemetry of %s", reporter, requestId).hasSize(1);
        return matching.get(0);
    }
}
