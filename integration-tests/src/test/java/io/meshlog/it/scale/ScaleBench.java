package io.meshlog.it.scale;

import com.hazelcast.core.HazelcastInstance;
import io.meshlog.policy.PolicyService;
import io.meshlog.policy.config.PolicyServiceConfig;
import io.meshlog.policy.model.MeshScope;
import io.meshlog.proxy.discovery.DiscoveryConfig;
import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.proxy.discovery.HazelcastConfigs;
import io.meshlog.proxy.discovery.HazelcastEndpointRegistry;
import io.meshlog.proxy.discovery.HazelcastSettings;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import io.meshlog.policy.model.PolicyEvents;
import io.meshlog.policy.parse.DocumentParser;
import io.meshlog.policy.parse.YamlLimits;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The scale bench's main (bench/scale.sh runs it; not a test). Modes:
 * <ul>
 *   <li>{@code coordinator <bootstrap> <dir> <proxies> <services>}: Hazelcast member, policy-service,
 *       the mesh (services x 3 endpoints, a VirtualService and DestinationRule per service, a
 *       root-namespace Sidecar isolating namespaces), then, once the workers' planes are up, the
 *       measurements; the last line is the key=value summary.</li>
 *   <li>{@code worker <bootstrap> <dir> <first> <count> <hazelcast>}: {@code count} real planes
 *       ({@link ScalePlanes}) as Hazelcast clients; writes start-up and endpoint-latency samples.</li>
 * </ul>
 * Services are {@code svc-N} in namespace {@code ns-(N/10)}; proxy {@code i} is a workload of
 * namespace {@code ns-(i % namespaces)}.
 */
public final class ScaleBench {
    private static final String TOKEN = "scale-bench-token-0123456789";
    private static final String ROOT = MeshScope.DEFAULT_ROOT_NAMESPACE;
    private static final String MESH_DR = "DestinationRule/" + ROOT + "/mesh-default";
    private static final int SERVICES_PER_NAMESPACE = 10;
    private static final String CLUSTER = "scale-bench";
    /** Measured changes of the mesh-wide rule (after one warm-up); SCALE_CHANGES overrides. */
    private static final int CHANGES = Integer.parseInt(System.getenv().getOrDefault("SCALE_CHANGES", "20"));

    private ScaleBench() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "coordinator" -> Coordinator.run(args[1], Path.of(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            case "worker" -> worker(args[1], Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    args[5], Integer.parseInt(args[6]));
            default -> throw new IllegalArgumentException("mode: coordinator or worker");
        }
    }

    static String namespaceOf(int service) {
        return "ns-" + service / SERVICES_PER_NAMESPACE;
    }

    private static void worker(String bootstrap, Path dir, int first, int count, String hazelcast, int namespaces)
            throws Exception {
        var topics = new TopicCatalogue("");
        var client = HazelcastConfigs.connect(HazelcastSettings.client(CLUSTER, List.of(hazelcast)));
        var endpointLatencies = new ConcurrentLinkedQueue<Long>();
        var planes = new ArrayList<ScalePlanes.Plane>();
        for (int i = first; i < first + count; i++) {
            planes.add(ScalePlanes.start(bootstrap, topics, client, "proxy-" + i, "ns-" + (i % namespaces), "app-" + i,
                    true, endpointLatencies::add));
        }
        var startup = new ArrayList<Long>();
        for (var plane : planes) {
            startup.add(plane.awaitReadyMillis());
        }
        Files.writeString(dir.resolve("ready-" + first), join(startup));
        var stop = dir.resolve("stop");
        while (!Files.exists(stop)) {
            Files.writeString(dir.resolve("endpoints-" + first + ".tmp"), join(new ArrayList<>(endpointLatencies)));
            Files.move(dir.resolve("endpoints-" + first + ".tmp"), dir.resolve("endpoints-" + first),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Thread.sleep(500);
        }
        ScalePlanes.closeAll(planes);
        client.shutdown();
        System.exit(0);
    }

    private static String join(List<Long> values) {
        var out = new StringBuilder();
        values.forEach(v -> out.append(v).append('\n'));
        return out.toString();
    }

    static List<Long> read(Path file) throws java.io.IOException {
        var out = new ArrayList<Long>();
        for (var line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add(Long.parseLong(line.trim()));
            }
        }
        return out;
    }

    static long percentile(List<Long> values, int p) {
        var sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** The coordinator: mesh, control plane and measurements. */
    static final class Coordinator {
        private final String bootstrap;
        private final HttpClient http = HttpClient.newHttpClient();
        private final String base;
        private final HazelcastInstance member;

        private Coordinator(String bootstrap, HazelcastInstance member, int apiPort) {
            this.bootstrap = bootstrap;
            this.member = member;
            this.base = "http://127.0.0.1:" + apiPort + "/apis/meshlog.io/v1";
        }

        static void run(String bootstrap, Path dir, int proxies, int services) throws Exception {
            var member = HazelcastConfigs.connect(new HazelcastSettings(HazelcastSettings.Mode.EMBEDDED, CLUSTER,
                    List.of("127.0.0.1"), 5801));
            var service = PolicyService.start(PolicyServiceConfig.forTests(bootstrap, "", TOKEN));
            var bench = new Coordinator(bootstrap, member, service.port());
            var topics = new TopicCatalogue("");
            long startupSmall = bench.freshPlaneStartup(topics);
            bench.apply(ROOT, "sidecars", "default", """
                    apiVersion: networking.istio.io/v1
                    kind: Sidecar
                    metadata: {name: default, namespace: %s}
                    spec: {egress: [{hosts: ["./*"]}]}
                    """.formatted(ROOT));
            bench.meshDr(0);
            bench.addServices(0, services);
            long startupLarge = bench.freshPlaneStartup(topics);
            var heapA = bench.heapPerPlane(topics, 20);
            bench.addServices(services, services);
            var heapB = bench.heapPerPlane(topics, 20);
            Files.writeString(dir.resolve("mesh-ready"), "ok");
            System.out.println("mesh ready: " + services * 2 + " services x 3 endpoints; waiting for " + proxies + " planes");
            var startups = new ArrayList<Long>();
            while (true) {
                startups.clear();
                try (var files = Files.list(dir)) {
                    for (var f : files.filter(p -> p.getFileName().toString().startsWith("ready-")).toList()) {
                        startups.addAll(read(f));
                    }
                }
                if (startups.size() >= proxies) {
                    break;
                }
                Thread.sleep(500);
            }
            var acks = new AckWatcher(bootstrap, topics.configAcks().name());
            var samples = new ArrayList<Long>();
            var waits = new ArrayList<Long>();
            for (int change = 1; change <= CHANGES + 1; change++) {
                long start = System.nanoTime();
                long generation = bench.meshDr(change);
                if (change % 5 == 0) {
                    waits.add(bench.applyWait(proxies, generation, start));
                }
                long enforced = acks.awaitAll(proxies, generation, Duration.ofSeconds(180));
                if (change > 1) {
                    samples.add((enforced - start) / 1_000_000);
                }
            }
            var statusTimes = new ArrayList<Long>();
            for (int i = 0; i < 10; i++) {
                long start = System.nanoTime();
                var body = bench.get("/proxies");
                statusTimes.add((System.nanoTime() - start) / 1_000_000);
                if (i == 0) {
                    System.out.println("status: " + body.length() / 1024 + " KiB for " + proxies + " proxies");
                }
            }
            bench.churn(services * 2, Duration.ofSeconds(20), 10);
            Thread.sleep(3000);
            var endpointLatencies = new ArrayList<Long>();
            try (var files = Files.list(dir)) {
                for (var f : files.filter(p -> p.getFileName().toString().matches("endpoints-\\d+")).toList()) {
                    endpointLatencies.addAll(read(f));
                }
            }
            Files.writeString(dir.resolve("stop"), "stop");
            System.out.printf("apply->enforced at %d proxies over %d changes: p50 %d ms, p99 %d ms, max %d ms%n", proxies,
                    samples.size(), percentile(samples, 50), percentile(samples, 99), Collections.max(samples));
            System.out.printf("apply --wait (PUT, then /proxies polled every 200 ms as meshctl does): %s ms%n", waits);
            System.out.printf("GET /proxies (meshctl status): p50 %d ms, max %d ms%n", percentile(statusTimes, 50),
                    Collections.max(statusTimes));
            System.out.printf("endpoint add/update -> visible at each watching plane, 10 changes/s, %d sightings: "
                    + "p50 %d ms, p99 %d ms, max %d ms%n", endpointLatencies.size(), percentile(endpointLatencies, 50),
                    percentile(endpointLatencies, 99), endpointLatencies.isEmpty() ? -1 : Collections.max(endpointLatencies));
            System.out.printf("plane start-up to ready (%d planes started together): p50 %d ms, p99 %d ms%n", startups.size(),
                    percentile(startups, 50), percentile(startups, 99));
            System.out.printf("one fresh plane start-up to ready: %d ms with an empty policy topic, %d ms with %d policies%n",
                    startupSmall, startupLarge, services * 2 + 2);
            System.out.printf("heap per plane (MB) at %d / %d services: scoped %.2f / %.2f, unscoped %.2f / %.2f%n",
                    services, services * 2, heapA[0], heapB[0], heapA[1], heapB[1]);
            System.out.printf("proxies=%d apply_to_enforced_p50_ms=%d apply_to_enforced_p99_ms=%d endpoint_change_p99_ms=%d "
                            + "proxy_heap_mb_scoped=%.2f proxy_heap_mb_unscoped=%.2f status_ms=%d%n", proxies,
                    percentile(samples, 50), percentile(samples, 99), percentile(endpointLatencies, 99), heapB[0], heapB[1],
                    percentile(statusTimes, 50));
            acks.close();
            service.close();
            member.shutdown();
            System.exit(0);
        }

        /** Puts a new generation of the mesh-wide DestinationRule; returns that generation. */
        long meshDr(int change) throws Exception {
            var reply = apply(ROOT, "destinationrules", "mesh-default", """
                    apiVersion: meshlog.io/v1
                    kind: DestinationRule
                    metadata: {name: mesh-default, namespace: %s}
                    spec:
                      host: "*.local"
                      trafficPolicy: {connectionPool: {tcp: {maxConnections: %d}}}
                    """.formatted(ROOT, 100 + change));
            return change + 1L;
        }

        String apply(String namespace, String plural, String name, String yaml) throws Exception {
            var url = URI.create(base + "/namespaces/" + namespace + "/" + plural + "/" + name);
            HttpResponse<String> response = null;
            // a loaded machine can keep the broker's acknowledgement past the service's publish timeout (503): retry
            for (int attempt = 0; attempt < 5 && (response == null || response.statusCode() == 503); attempt++) {
                response = http.send(HttpRequest.newBuilder(url).header("Authorization", "Bearer " + TOKEN)
                        .PUT(HttpRequest.BodyPublishers.ofString(yaml)).build(), HttpResponse.BodyHandlers.ofString());
            }
            if (response.statusCode() >= 300) {
                throw new IllegalStateException("apply " + name + " failed: " + response.body());
            }
            return response.body();
        }

        String get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }

        /** meshctl apply --wait's loop: /proxies every 200 ms until every proxy has the generation. */
        long applyWait(int proxies, long generation, long start) throws Exception {
            while (true) {
                var items = new io.vertx.core.json.JsonObject(get("/proxies")).getJsonArray("items");
                int done = 0;
                for (int i = 0; i < items.size(); i++) {
                    var applied = items.getJsonObject(i).getJsonObject("generations", new io.vertx.core.json.JsonObject())
                            .getLong(MESH_DR);
                    done += applied != null && applied >= generation ? 1 : 0;
                }
                if (done >= proxies) {
                    return (System.nanoTime() - start) / 1_000_000;
                }
                Thread.sleep(200);
            }
        }

        void addServices(int first, int count) throws Exception {
            var map = member.<String, String>getMap(DiscoveryConfig.defaults().mapName());
            var yaml = new ArrayList<String>();
            for (int s = first; s < first + count; s++) {
                var name = "svc-" + s;
                var ns = namespaceOf(s);
                for (int e = 0; e < 3; e++) {
                    var endpoint = new Endpoint(name, "10.0." + s / 250 + "." + (s % 250), 8000 + e,
                            Map.of("version", "v" + e), name + "-v" + e, "");
                    map.set(HazelcastEndpointRegistry.key(endpoint), HazelcastEndpointRegistry.value(endpoint, ns));
                }
                yaml.add("""
                        apiVersion: meshlog.io/v1
                        kind: VirtualService
                        metadata: {name: %s, namespace: %s}
                        spec:
                          hosts: [%s]
                          http: [{route: [{destination: {host: %s, subset: v0}}], timeout: 2s, retries: {attempts: 2, perTryTimeout: 500ms}}]
                        ---
                        apiVersion: meshlog.io/v1
                        kind: DestinationRule
                        metadata: {name: %s, namespace: %s}
                        spec:
                          host: %s
                          subsets: [{name: v0, labels: {version: v0}}, {name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
                        """.formatted(name, ns, name, name, name, ns, name));
            }
            publish(yaml);
        }

        /**
         * Writes the mesh's policies straight to the policy topic in one batch, as the policy-service's
         * writer would (generation 1, validated by the same parser): seeding thousands through the API
         * one transaction each took minutes on the loaded machine. The measured changes use the API.
         */
        private void publish(List<String> documents) throws Exception {
            var topic = new TopicCatalogue("").policy().name();
            var serde = MeshSerdes.policyEvent();
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all",
                    "linger.ms", 20), new StringSerializer(), new ByteArraySerializer())) {
                var sends = new ArrayList<java.util.concurrent.Future<?>>();
                var parser = new DocumentParser(YamlLimits.DEFAULT);
                for (var parsed : documents.stream().flatMap(yaml -> parser.parse(yaml, "default").stream()).toList()) {
                    var event = PolicyEvents.event(parsed.document(), 1, "scale-bench", java.time.Instant.now());
                    sends.add(producer.send(new ProducerRecord<>(topic, PolicyEvents.key(event).toString(),
                            serde.serialize(topic, event))));
                }
                for (var send : sends) {
                    send.get();
                }
            }
        }

        /** Endpoint writes at {@code perSecond}: alternately a new registration and removal of the previous one. */
        void churn(int services, Duration length, int perSecond) throws Exception {
            var map = member.<String, String>getMap(DiscoveryConfig.defaults().mapName());
            long end = System.nanoTime() + length.toNanos();
            int n = 0;
            String previous = null;
            while (System.nanoTime() < end) {
                int s = (n * 7) % services;
                var name = "svc-" + s;
                if (previous != null && n % 2 == 1) {
                    map.delete(previous);
                    previous = null;
                } else {
                    var endpoint = new Endpoint(name, "10.9." + n / 250 + "." + n % 250, 9000, Map.of("version", "v0",
                            ScalePlanes.WRITTEN_AT, Long.toString(System.currentTimeMillis())), name + "-churn", "");
                    previous = HazelcastEndpointRegistry.key(endpoint);
                    map.set(previous, HazelcastEndpointRegistry.value(endpoint, namespaceOf(s)));
                }
                n++;
                Thread.sleep(1000 / perSecond);
            }
        }

        long freshPlaneStartup(TopicCatalogue topics) throws Exception {
            var plane = ScalePlanes.start(bootstrap, topics, member, "probe-" + UUID.randomUUID(), "ns-0", "probe", true, v -> { });
            long millis = plane.awaitReadyMillis();
            plane.close();
            return millis;
        }

        /** Heap (MB) retained per plane of ns-0: scoped by the root's Sidecar, then with Sidecars ignored (unscoped). */
        double[] heapPerPlane(TopicCatalogue topics, int planes) throws Exception {
            var out = new double[2];
            for (int mode = 0; mode < 2; mode++) {
                long before = usedAfterGc();
                var started = new ArrayList<ScalePlanes.Plane>();
                for (int i = 0; i < planes; i++) {
                    started.add(ScalePlanes.start(bootstrap, topics, member, "heap-" + UUID.randomUUID(), "ns-0", "heap",
                            mode == 0, v -> { }));
                }
                for (var plane : started) {
                    while (!plane.policies().isCaughtUp() || plane.registry().services().isEmpty()) {
                        Thread.sleep(5);
                    }
                }
                Thread.sleep(2000); // the registry loads and compiles settle
                out[mode] = (usedAfterGc() - before) / (double) planes / (1024 * 1024);
                ScalePlanes.closeAll(started);
            }
            return out;
        }

        private static long usedAfterGc() throws InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
    }

    /** Follows the ack topic: per proxy, when it first acked each generation of the mesh-wide rule. */
    private static final class AckWatcher implements AutoCloseable {
        private final Map<String, Long> applied = new ConcurrentHashMap<>();
        private final Map<Long, Map<String, Long>> seenAt = new ConcurrentHashMap<>();
        private final KafkaConsumer<String, byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        AckWatcher(String bootstrap, String topic) {
            consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "group.id", "bench-" + UUID.randomUUID()),
                    new StringDeserializer(), new ByteArrayDeserializer());
            var partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            thread = new Thread(() -> {
                while (running) {
                    for (var record : consumer.poll(Duration.ofMillis(20))) {
                        var now = System.nanoTime();
                        if (record.value() == null || !record.key().startsWith("proxy-")) {
                            continue;
                        }
                        var ack = MeshSerdes.configAck().deserialize(topic, record.value());
                        var generation = ack.getGenerations().get(MESH_DR);
                        if (generation != null && generation > applied.getOrDefault(record.key(), 0L)) {
                            applied.put(record.key(), generation);
                            seenAt.computeIfAbsent(generation, g -> new ConcurrentHashMap<>()).putIfAbsent(record.key(), now);
                        }
                    }
                }
                consumer.close();
            }, "bench-acks");
            thread.start();
        }

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
        }
    }
}
