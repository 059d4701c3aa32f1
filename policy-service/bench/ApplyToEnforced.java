// Bench (not a test): time from `PUT` of a policy change to the moment every one of N proxies has
// compiled it into its request-path snapshot and acknowledged it on mesh.config.acks.v1.
// Each proxy here is the real policy plane of proxy-verticle (PolicyLogConsumer -> SnapshotUpdater
// -> ConfigAckPublisher) without its HTTP listeners; all run in this JVM on one embedded broker.
// Run with ./apply-to-enforced.sh [proxies] [changes]; the last line is key=value pairs.

import io.meshlog.kafka.embedded.EmbeddedBrokerConfig;
import io.meshlog.kafka.embedded.EmbeddedKafkaBroker;
import io.meshlog.policy.PolicyService;
import io.meshlog.policy.config.PolicyServiceConfig;
import io.meshlog.proxy.bootstrap.StaticEndpointDirectory;
import io.meshlog.proxy.policy.ConfigAckConfig;
import io.meshlog.proxy.policy.ConfigAckPublisher;
import io.meshlog.proxy.policy.PolicyConsumerConfig;
import io.meshlog.proxy.policy.PolicyLogConsumer;
import io.meshlog.proxy.ratelimit.RateLimiters;
import io.meshlog.proxy.snapshot.SnapshotCompiler;
import io.meshlog.proxy.snapshot.SnapshotHolder;
import io.meshlog.proxy.snapshot.SnapshotUpdater;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

public final class ApplyToEnforced {
    private static final String TOKEN = "bench-token-0123456789";
    private static final String KEY = "DestinationRule/default/reviews";

    public static void main(String[] args) throws Exception {
        int proxies = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int changes = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        var broker = new EmbeddedKafkaBroker(EmbeddedBrokerConfig.ephemeral(Files.createTempDirectory("bench-kafka-")));
        broker.start();
        var topics = new TopicCatalogue("");
        var service = PolicyService.start(PolicyServiceConfig.forTests(broker.bootstrapServers(), "", TOKEN));
        var closers = new ArrayList<AutoCloseable>();
        for (int i = 0; i < proxies; i++) {
            closers.addAll(startProxy(broker.bootstrapServers(), topics, "bench-proxy-" + i));
        }
        var acks = new AckWatcher(broker.bootstrapServers(), topics.configAcks().name());
        var http = HttpClient.newHttpClient();
        var url = URI.create("http://127.0.0.1:" + service.port() + "/apis/meshlog.io/v1/namespaces/default/destinationrules/reviews");
        var samples = new ArrayList<Double>();
        for (int change = 0; change <= changes; change++) {
            var body = """
                    apiVersion: meshlog.io/v1
                    kind: DestinationRule
                    metadata: {name: reviews}
                    spec:
                      host: reviews
                      trafficPolicy: {connectionPool: {tcp: {maxConnections: %d}}}
                      subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
                    """.formatted(100 + change);
            var start = System.nanoTime();
            var response = http.send(HttpRequest.newBuilder(url).header("Authorization", "Bearer " + TOKEN)
                    .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException("apply failed: " + response.body());
            }
            long generation = change + 1;
            var enforced = acks.awaitAll(proxies, generation, Duration.ofSeconds(30));
            var millis = (enforced - start) / 1e6;
            if (change > 0) {
                samples.add(millis);   // the first change warms everything up
            }
        }
        Collections.sort(samples);
        var p50 = percentile(samples, 50);
        var p99 = percentile(samples, 99);
        System.out.printf("apply-to-enforced over %d changes, %d proxies: min %.1f ms, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                samples.size(), proxies, samples.get(0), p50, p99, samples.get(samples.size() - 1));
        System.out.printf("proxies=%d changes=%d apply_to_enforced_p50_ms=%.1f apply_to_enforced_p99_ms=%.1f%n",
                proxies, samples.size(), p50, p99);
        acks.close();
        for (var closer : closers) {
            closer.close();
        }
        service.close();
        broker.close();
        System.exit(0);
    }

    private static List<AutoCloseable> startProxy(String bootstrap, TopicCatalogue topics, String proxyId) {
        var updater = new SnapshotUpdater(new SnapshotCompiler("default", Map.of("app", "reviews"), new RateLimiters(Clock.systemUTC())),
                new StaticEndpointDirectory(List.of()), new SnapshotHolder());
        var publisher = new ConfigAckPublisher(ConfigAckConfig.of(bootstrap, topics.configAcks().name(), proxyId, "reviews", "default"));
        var consumer = new PolicyLogConsumer(PolicyConsumerConfig.defaults(bootstrap, topics.policy().name()), state -> {
            updater.accept(state);      // compiled into the request path's snapshot: enforced
            publisher.publish(state);   // then acknowledged
        }, new SimpleMeterRegistry()).start();
        return List.of(consumer, publisher);
    }

    private static double percentile(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** Follows the ack topic and remembers, per proxy, when it first acked each generation of KEY. */
    private static final class AckWatcher implements AutoCloseable {
        private final Map<String, Long> applied = new ConcurrentHashMap<>();
        private final Map<Long, Map<String, Long>> seenAt = new ConcurrentHashMap<>();
        private final KafkaConsumer<String, byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        AckWatcher(String bootstrap, String topic) {
            consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "group.id", "bench-" + UUID.randomUUID()),
                    new StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer());
            var partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            thread = new Thread(() -> {
                while (running) {
                    for (var record : consumer.poll(Duration.ofMillis(20))) {
                        var now = System.nanoTime();
                        var ack = MeshSerdes.configAck().deserialize(topic, record.value());
                        var generation = ack.getGenerations().get(KEY);
                        if (generation != null && generation > applied.getOrDefault(record.key(), 0L)) {
                            applied.put(record.key(), generation);
                            seenAt.computeIfAbsent(generation, g -> new ConcurrentHashMap<>()).putIfAbsent(record.key(), now);
                        }
                    }
                }
            }, "bench-acks");
            thread.start();
        }

        /** The nanoTime at which the last of {@code proxies} proxies acked {@code generation}. */
        long awaitAll(int proxies, long generation, Duration timeout) throws InterruptedException {
            var deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                var seen = seenAt.getOrDefault(generation, Map.of());
                if (seen.size() >= proxies) {
                    return Collections.max(seen.values());
                }
                Thread.sleep(1);
            }
            throw new IllegalStateException("only " + seenAt.getOrDefault(generation, Map.of()).size() + " of " + proxies
                    + " proxies acked generation " + generation + " within " + timeout);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(2000);
            consumer.close();
        }
    }
}
