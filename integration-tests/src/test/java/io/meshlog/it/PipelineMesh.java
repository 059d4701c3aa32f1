package io.meshlog.it;

import com.hazelcast.core.HazelcastInstance;
import io.meshlog.pipeline.PipelineService;
import io.meshlog.pipeline.config.PipelineConfig;
import io.meshlog.proxy.bootstrap.BootstrapLoader;
import io.meshlog.proxy.config.InboundListenerConfig;
import io.meshlog.proxy.config.ListenerConfig;
import io.meshlog.proxy.config.ProxyConfig;
import io.meshlog.proxy.config.TelemetryMode;
import io.meshlog.proxy.discovery.DiscoveryConfig;
import io.meshlog.proxy.discovery.HazelcastConfigs;
import io.meshlog.proxy.discovery.HazelcastSettings;
import io.meshlog.proxy.mesh.MeshProxy;
import io.meshlog.proxy.mesh.MeshProxyConfig;
import io.meshlog.proxy.policy.PolicyState;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.testsupport.SharedKafka;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The mesh the pipeline ITs share: unique topics on the shared broker, the seed policies on the
 * policy log, a real telemetry pipeline, one Hazelcast member on 127.0.0.1, real Vert.x apps
 * behind real mesh proxies (inbound listener), and caller proxies without an app. One per test
 * class; {@link #close()} stops everything it started.
 */
final class PipelineMesh implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    static {
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    final Vertx vertx = Vertx.vertx();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final String bootstrap;
    final TopicCatalogue topics;
    final PipelineConfig pipelineConfig;
    private final List<MeshProxy> proxies = new ArrayList<>();
    private final HazelcastInstance hazelcast;
    private PipelineService pipeline;

    /**
     * @param seedPolicies YAML published on the policy log before anything starts
     * @param pipelineSettings pipeline settings added to (or replacing) the fixture's fast defaults
     */
    PipelineMesh(SharedKafka kafka, String seedPolicies, Map<String, String> pipelineSettings) throws Exception {
        bootstrap = kafka.bootstrapServers();
        topics = new TopicCatalogue(kafka.uniquePrefix());
        new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(topics.all());
        publish(BootstrapLoader.policies(seedPolicies, "test-policies"));
        pipelineConfig = pipelineConfig(pipelineSettings);
        pipeline = new PipelineService(pipelineConfig).start();
        hazelcast = HazelcastConfigs.connect(new HazelcastSettings(HazelcastSettings.Mode.EMBEDDED,
                "it-" + UUID.randomUUID(), List.of("127.0.0.1"), HazelcastSettings.DEFAULT_PORT));
    }

    PipelineService pipeline() {
        return pipeline;
    }

    /** Stops the pipeline (as a crash would leave its group: the session must expire) and starts a new one. */
    void stopPipeline() {
        pipeline.close(Duration.ofSeconds(10));
    }

    void startPipeline() {
        pipeline = new PipelineService(pipelineConfig).start();
    }

    /**
     * A proxy config on 127.0.0.1 port 0; with {@code appPort > 0} an inbound listener in front of
     * the app, registered as an endpoint of {@code service} with {@code labels}.
     */
    MeshProxyConfig config(String id, String workload, String service, int appPort, Map<String, String> labels) {
        var inbound = appPort > 0
                ? new InboundListenerConfig(new ListenerConfig("127.0.0.1", 0), "127.0.0.1", appPort, null) : null;
        var proxy = new ProxyConfig(id, workload, "default", labels, new ListenerConfig("127.0.0.1", 0), inbound,
                new ListenerConfig("127.0.0.1", 0), TelemetryMode.NONE);
        return MeshProxyConfig.of(proxy, service, bootstrap, topics)
                .withHazelcast(null, new DiscoveryConfig(null, Duration.ofSeconds(3), Duration.ofSeconds(1)));
    }

    MeshProxy start(MeshProxyConfig config) throws Exception {
        var proxy = new MeshProxy(config, hazelcast, Clock.systemUTC());
        proxies.add(proxy);
        return proxy.start(vertx).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    App app(String name) throws Exception {
        return new App(vertx, name);
    }

    void publishPolicies(String yaml) throws Exception {
        publish(BootstrapLoader.policies(yaml, "test-policies"));
    }

    void publish(List<PolicyEvent> events) throws Exception {
        var topic = topics.policy().name();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (var event : events) {
                producer.send(new ProducerRecord<>(topic, PolicyState.keyOf(event),
                        MeshSerdes.policyEvent().serialize(topic, event))).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** One GET to {@code host} through the proxy's outbound listener; returns the status. */
    HttpResponse<String> get(MeshProxy caller, String host, String path, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + caller.outboundPort() + path))
                .header("Host", host).timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String admin(MeshProxy proxy, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.adminPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private PipelineConfig pipelineConfig(Map<String, String> settings) throws Exception {
        var values = new HashMap<String, String>();
        values.put("bootstrap.servers", bootstrap);
        values.put("application.id", "pipeline-" + topics.prefix().replace(".", ""));
        values.put("state.dir", Files.createTempDirectory("pipeline-it").toString());
        values.put("topic.prefix", topics.prefix());
        values.put("metrics.host", "127.0.0.1");
        values.put("metrics.port", "0");
        values.put("kafka.streams.commit.interval.ms", "100");
        values.put("kafka.streams.statestore.cache.max.bytes", "0");
        values.putAll(settings);
        return PipelineConfig.fromMap(values);
    }

    @Override
    public void close() throws Exception {
        proxies.forEach(MeshProxy::close);
        if (pipeline != null) {
            pipeline.close(Duration.ofSeconds(10));
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        hazelcast.shutdown();
    }

    /**
     * A real app answering with its name (also in {@code x-upstream}) and a settable status; with
     * {@code failEvery = n} every n-th request answers 500. Counts hits, per value of the request's
     * {@value #TAG} header too, and remembers when it first failed.
     */
    static final class App {
        static final String TAG = "x-tag";
        final String name;
        final AtomicInteger status = new AtomicInteger(200);
        final AtomicInteger failEvery = new AtomicInteger();
        final AtomicInteger hits = new AtomicInteger();
        final Map<String, AtomicInteger> hitsByTag = new ConcurrentHashMap<>();
        final Map<String, Long> firstHitMillisByTag = new ConcurrentHashMap<>();
        final AtomicLong firstFailureMillis = new AtomicLong();
        final HttpServer server;

        private App(Vertx vertx, String name) throws Exception {
            this.name = name;
            this.server = vertx.createHttpServer().requestHandler(request -> {
                int hit = hits.incrementAndGet();
                var tag = request.getHeader(TAG);
                hitsByTag.computeIfAbsent(tag == null ? "" : tag, t -> new AtomicInteger()).incrementAndGet();
                firstHitMillisByTag.putIfAbsent(tag == null ? "" : tag, System.currentTimeMillis());
                int every = failEvery.get();
                int answer = every > 0 && hit % every == 0 ? 500 : status.get();
                if (answer >= 500) {
                    firstFailureMillis.compareAndSet(0, System.currentTimeMillis());
                }
                request.body().onComplete(b -> request.response().setStatusCode(answer).putHeader("x-upstream", name)
                        .end(name));
            }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        int port() {
            return server.actualPort();
        }

        /** Forgets the hits per tag (and when each tag was first seen). */
        void resetTags() {
            hitsByTag.clear();
            firstHitMillisByTag.clear();
        }

        int hitsTagged(String tag) {
            var count = hitsByTag.get(tag);
            return count == null ? 0 : count.get();
        }
    }
}
