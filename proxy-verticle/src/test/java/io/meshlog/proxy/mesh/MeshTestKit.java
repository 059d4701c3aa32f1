package io.meshlog.proxy.mesh;

import com.hazelcast.core.HazelcastInstance;
import io.meshlog.proxy.config.InboundListenerConfig;
import io.meshlog.proxy.config.ListenerConfig;
import io.meshlog.proxy.bootstrap.BootstrapLoader;
import io.meshlog.proxy.config.ProxyConfig;
import io.meshlog.proxy.config.TelemetryMode;
import io.meshlog.proxy.discovery.DiscoveryConfig;
import io.meshlog.proxy.discovery.HazelcastConfigs;
import io.meshlog.proxy.discovery.HazelcastSettings;
import io.meshlog.proxy.policy.PolicyState;
import io.meshlog.schemas.serde.AvroSerde;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Real parts for mesh-mode tests: Hazelcast, apps, proxies, policies on Kafka, topic reads, HTTP. */
final class MeshTestKit {
    static {
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private MeshTestKit() {}

    /** An embedded member on 127.0.0.1 in a cluster of its own. */
    static HazelcastInstance hazelcast() {
        return HazelcastConfigs.connect(new HazelcastSettings(HazelcastSettings.Mode.EMBEDDED,
                "it-" + UUID.randomUUID(), List.of("127.0.0.1"), HazelcastSettings.DEFAULT_PORT));
    }

    /** A real app on a free port answering with its name (header {@code x-upstream}) and a settable status. */
    static final class App {
        final String name;
        final AtomicInteger status = new AtomicInteger(200);
        final AtomicInteger hits = new AtomicInteger();
        /** The traceparent header of the last request the app received (null when it had none). */
        final java.util.concurrent.atomic.AtomicReference<String> lastTraceparent = new java.util.concurrent.atomic.AtomicReference<>();
        /** Every header of the last request (for failure messages). */
        final java.util.concurrent.atomic.AtomicReference<String> lastHeaders = new java.util.concurrent.atomic.AtomicReference<>();
        final HttpServer server;

        App(Vertx vertx, String name) throws Exception {
            this.name = name;
            this.server = await(vertx.createHttpServer().requestHandler(request -> {
                hits.incrementAndGet();
                lastTraceparent.set(request.getHeader("traceparent"));
                lastHeaders.set(request.headers().toString());
                request.body().onComplete(b -> request.response().setStatusCode(status.get())
                        .putHeader("x-upstream", name).end(name));
            }).listen(0, "127.0.0.1"));
        }

        int port() {
            return server.actualPort();
        }
    }

    /** A proxy config: outbound and admin on free ports, inbound to {@code appPort} when it is positive. */
    static MeshProxyConfig proxy(String id, String workload, String service, Map<String, String> labels, int appPort,
            String bootstrap, TopicCatalogue topics) {
        return proxy(id, "default", workload, service, labels, appPort, bootstrap, topics);
    }

    /** As above, for a workload of {@code namespace}. */
    static MeshProxyConfig proxy(String id, String namespace, String workload, String service, Map<String, String> labels,
            int appPort, String bootstrap, TopicCatalogue topics) {
        var inbound = appPort > 0
                ? new InboundListenerConfig(new ListenerConfig("127.0.0.1", 0), "127.0.0.1", appPort, null) : null;
        var proxy = new ProxyConfig(id, workload, namespace, labels, new ListenerConfig("127.0.0.1", 0), inbound,
                new ListenerConfig("127.0.0.1", 0), TelemetryMode.NONE);
        return MeshProxyConfig.of(proxy, service, bootstrap, topics)
                .withHazelcast(null, new DiscoveryConfig(null, Duration.ofSeconds(3), Duration.ofSeconds(1)));
    }

    static MeshProxy start(Vertx vertx, HazelcastInstance hazelcast, MeshProxyConfig config) throws Exception {
        var proxy = new MeshProxy(config, hazelcast, Clock.systemUTC());
        return proxy.start(vertx).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** Publishes policy documents (Istio-shaped documents, as for meshctl apply -f) with their keys. */
    static void publishPolicies(String bootstrap, String topic, String yaml) throws Exception {
        var events = BootstrapLoader.policies(yaml, "test-policies");
        var serde = MeshSerdes.policyEvent();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (var event : events) {
                producer.send(new ProducerRecord<>(topic, PolicyState.keyOf(event), serde.serialize(topic, event)))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Reads {@code topic} from the beginning until {@code done} holds for what was read, or the timeout. */
    static <T extends org.apache.avro.specific.SpecificRecord> List<ConsumerRecord<String, T>> read(String bootstrap, String topic, AvroSerde<T> serde,
            Duration timeout, Predicate<List<ConsumerRecord<String, T>>> done) {
        var records = new ArrayList<ConsumerRecord<String, T>>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), serde)) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    record Reply(int status, String upstream, String body) {}

    static Reply get(int port, String host, String path, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(15))
                .header("Host", host);
        headers.forEach(request::header);
        var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("x-upstream").orElse(null), response.body());
    }

    static String admin(MeshProxy proxy, String path) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.adminPort() + path))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
