package io.meshlog.pipeline.bench;

import io.meshlog.kafka.embedded.EmbeddedBrokerConfig;
import io.meshlog.kafka.embedded.EmbeddedKafkaBroker;
import io.meshlog.pipeline.PipelineDriver;
import io.meshlog.pipeline.PipelineMain;
import io.meshlog.pipeline.PipelineService;
import io.meshlog.pipeline.Policies;
import io.meshlog.pipeline.config.PipelineConfig;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.v1.Ejection;
import io.meshlog.schemas.v1.OutlierDetection;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Not a test: pushes N telemetry events through all four topologies (every service has an SLO, a
 * retry budget and a DestinationRule) on a local embedded broker
 * and prints events/s processed, then the delay from the first of five failures of a fresh
 * endpoint being produced to its Ejection being readable (read_committed) on the decisions topic.
 * A warm-up pipeline first processes {@code warmup} events on its own topics (0: none), so the
 * measured one runs JIT-compiled code, as a long-running pipeline does.
 * Usage: {@code PipelineBench [events] [probes] [warmup]}; last line is {@code key=value} pairs.
 */
public final class PipelineBench {
    private static final int SERVICES = 40;

    private PipelineBench() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int probes = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 300_000;
        int instances = Integer.getInteger("instances", 1);
        var runs = runs(System.getProperty("topologies", "all"));
        var dir = Files.createTempDirectory("pipeline-bench");
        try (var broker = new EmbeddedKafkaBroker(EmbeddedBrokerConfig.ephemeral(dir.resolve("kafka")))) {
            broker.start();
            try (var producer = producer(broker.bootstrapServers())) {
                if (warmup > 0) {
                    // A first pipeline on its own topics, so the measured one runs JIT-compiled code.
                    var config = config(broker, dir, "warmup", "warmup", "all");
                    produceAll(config, producer, warmup);
                    try (var service = new PipelineService(config).start()) {
                        waitForLagZero(broker.bootstrapServers(), config.applicationId(), config.topics().telemetry().name());
                        System.out.printf("warm-up: %d events%n", warmup);
                    }
                }
                // Every run reads the same topics under its own application id: the events are produced once.
                var benchTopics = config(broker, dir, "bench", "bench", "all");
                produceAll(benchTopics, producer, events);
                printBytesPerEvent(broker.bootstrapServers(), benchTopics.topics().telemetry().name(), events);
                var summary = new java.util.LinkedHashMap<String, double[]>();
                for (var topologies : runs) {
                    var name = topologies.replace(',', '+');
                    var configs = new ArrayList<PipelineConfig>();
                    for (int i = 0; i < instances; i++) {
                        configs.add(config(broker, dir, "bench-" + name, "bench-" + name + "-" + i, topologies));
                    }
                    double[] figures = measure(broker, configs, events, producer, topologies.equals("all") ? probes : 0);
                    summary.put(name, figures);
                    System.out.printf("topology=%s instances=%d threads=%s events_per_s=%.0f stream_cpu_us_per_event=%.2f "
                            + "jvm_cpu_us_per_event=%.2f events_per_core_s=%.0f%n", name, instances,
                            System.getProperty("threads", "2"), figures[0], figures[1], figures[2], 1e6 / figures[1]);
                }
                var all = summary.get("all");
                var perTopology = new StringBuilder();
                summary.forEach((name, f) -> perTopology.append(name).append("_events_per_s=")
                        .append(Math.round(f[0])).append(' '));
                if (all != null) {
                    // two_core_streams_only: what the stream threads' CPU per event gives on 2 cores of their own.
                    System.out.printf("%sinstances=%d two_core_total_events_per_s=%.0f two_core_streams_only_events_per_s=%.0f "
                            + "events_per_s=%.0f decision_p50_ms=%.0f decision_p99_ms=%.0f%n", perTopology, instances, all[0],
                            2e6 / all[1], all[0], all[3], all[4]);
                } else {
                    System.out.println(perTopology.toString().strip());
                }
            }
        }
    }

    /**
     * The telemetry's size: Avro single-object encoding per event, and on the broker's disk per event
     * (lz4 batches as the proxies' producers send them, record overhead included).
     */
    private static void printBytesPerEvent(String bootstrap, String topic, int events) throws Exception {
        var serde = MeshSerdes.requestTelemetry();
        long encoded = 0;
        for (int i = 0; i < 1000; i++) {
            encoded += serde.serialize(topic, sampleEvent(i, Instant.now())).length;
        }
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long onDisk = 0;
            for (var node : admin.describeCluster().nodes().get()) {
                for (var dir : admin.describeLogDirs(List.of(node.id())).allDescriptions().get().get(node.id()).values()) {
                    for (var replica : dir.replicaInfos().entrySet()) {
                        if (replica.getKey().topic().equals(topic)) {
                            onDisk += replica.getValue().size();
                        }
                    }
                }
            }
            System.out.printf("telemetry_bytes_per_event_avro=%.0f telemetry_bytes_per_event_on_disk_lz4=%.0f%n",
                    encoded / 1000.0, (double) onDisk / events);
        }
    }

    /** {@code each}: every topology alone, then all together; else one run of the given list. */
    private static List<String> runs(String topologies) {
        if (!topologies.equals("each")) {
            return List.of(topologies);
        }
        var runs = new ArrayList<String>();
        for (var part : io.meshlog.pipeline.config.PipelinePart.values()) {
            runs.add(part.configName());
        }
        runs.add("all");
        return runs;
    }

    /**
     * Runs {@code configs} (one instance each) until they committed every event, then sends
     * {@code probes} failure bursts: {events/s, stream µs/event, JVM µs/event, decision p50 ms, p99 ms}.
     */
    private static double[] measure(EmbeddedKafkaBroker broker, List<PipelineConfig> configs, int events,
            KafkaProducer<String, byte[]> producer, int probes) throws Exception {
        var services = new ArrayList<PipelineService>();
        try {
            configs.forEach(c -> services.add(new PipelineService(c).start()));
            var config = configs.get(0);
            long[] firstCommit = waitForLagZero(broker.bootstrapServers(), config.applicationId(),
                    config.topics().telemetry().name());
            long end = System.nanoTime();
            long cpu = streamThreadsCpuNanos() - firstCommit[2];
            long processCpu = processCpuNanos() - firstCommit[3];
            long counted = events - firstCommit[1];
            double p50 = 0;
            double p99 = 0;
            if (probes > 0) {
                long[] delays = probe(producer, broker.bootstrapServers(), config.topics().decisions().name(),
                        config.topics().telemetry().name(), probes);
                Arrays.sort(delays);
                p50 = delays[delays.length / 2];
                p99 = delays[(int) Math.ceil(delays.length * 0.99) - 1];
            }
            // CPU per event is what a loaded machine distorts least: it is what free cores divide.
            return new double[] {counted / ((end - firstCommit[0]) / 1e9), cpu / 1e3 / counted, processCpu / 1e3 / counted,
                    p50, p99};
        } finally {
            services.forEach(PipelineService::close);
        }
    }

    /** Application id {@code pipeline-<group>}, topics prefixed {@code <prefix>.}, state per {@code instance}. */
    private static PipelineConfig config(EmbeddedKafkaBroker broker, Path dir, String group, String instance,
            String topologies, String prefix) {
        var values = new HashMap<String, String>();
        values.put("bootstrap.servers", broker.bootstrapServers());
        values.put("application.id", "pipeline-" + group);
        values.put("state.dir", dir.resolve("state-" + instance).toString());
        values.put("topic.prefix", prefix + ".");
        values.put("topologies", topologies);
        values.put("metrics.host", "127.0.0.1");
        values.put("metrics.port", "0");
        values.put("kafka.streams.num.stream.threads", System.getProperty("threads", "2"));
        // -Dkafka.streams.<setting>=<value> tries other Streams settings.
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("kafka.streams."))
                .forEach(k -> values.put(k, System.getProperty(k)));
        return PipelineConfig.fromMap(values);
    }

    private static PipelineConfig config(EmbeddedKafkaBroker broker, Path dir, String group, String instance,
            String topologies) {
        return config(broker, dir, group, instance, topologies, group.startsWith("warmup") ? "warmup" : "bench");
    }

    /** Creates the topics, produces policies and {@code events} telemetry events. */
    private static void produceAll(PipelineConfig config, KafkaProducer<String, byte[]> producer, int events) {
        PipelineMain.ensureTopics(config, (short) 1);
        policies(producer, config.topics().policy().name());
        long produced = produce(producer, config.topics().telemetry().name(), events);
        System.out.printf("produced %d events%n", produced);
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        var props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** Every service gets an SLO, a retry budget and a DestinationRule, so all four topologies work. */
    private static void policies(KafkaProducer<String, byte[]> producer, String topic) {
        var serde = MeshSerdes.policyEvent();
        var now = Instant.now();
        for (int s = 0; s < SERVICES; s++) {
            var service = "svc-" + s;
            for (var policy : List.of(Policies.slo(service + "-slo", service, 99.9, List.of(), now),
                    Policies.retryBudget(service, 0.2, 10, 10_000, now),
                    Policies.destinationRule(service, OutlierDetection.newBuilder().build(), now))) {
                producer.send(new ProducerRecord<>(topic, policy.getKind() + "/" + policy.getNamespace() + "/"
                        + policy.getName(), serde.serialize(topic, policy)));
            }
        }
        // The probes' fresh services have no rule of their own: the mesh-wide rule turns outlier detection on for them.
        var meshWide = Policies.meshWideDestinationRule(OutlierDetection.newBuilder().build(), now);
        producer.send(new ProducerRecord<>(topic, meshWide.getKind() + "/" + meshWide.getNamespace() + "/"
                + meshWide.getName(), serde.serialize(topic, meshWide)));
        producer.flush();
    }

    private static long produce(KafkaProducer<String, byte[]> producer, String topic, int events) {
        var serde = MeshSerdes.requestTelemetry();
        var templates = new ArrayList<byte[]>();
        var keys = new ArrayList<String>();
        var now = Instant.now();
        for (int i = 0; i < 1000; i++) {
            var service = "svc-" + (i % SERVICES);
            templates.add(serde.serialize(topic, sampleEvent(i, now)));
            keys.add(service);
        }
        for (int i = 0; i < events; i++) {
            producer.send(new ProducerRecord<>(topic, keys.get(i % 1000), templates.get(i % 1000)));
        }
        producer.flush();
        return events;
    }

    /** The i-th of the bench's 1 000 event templates. */
    private static io.meshlog.schemas.v1.RequestTelemetry sampleEvent(int i, Instant now) {
        return PipelineDriver.event("caller-" + (i % 25), "svc-" + (i % SERVICES),
                "10.1." + (i % 40) + "." + (i % 8) + ":8080", i % 50 == 0 ? 503 : 200, now.plusMillis(i))
                .setDurationMicros(500 + (i * 37L) % 20_000).setRoute("default").setPath("/api/items/" + i)
                .setDestinationWorkload("svc-" + (i % SERVICES) + "-v1").setDestinationSubset("v1")
                .setSourcePrincipal("spiffe://cluster.local/ns/default/sa/caller-" + (i % 25)).setMtls(true)
                .setRequestBytes(200).setResponseBytes(1_500).build();
    }

    /** Waits until the group has committed every offset; returns {time, committed, stream CPU, JVM CPU} at its first commit. */
    private static long[] waitForLagZero(String bootstrap, String group, String topic) throws Exception {
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            var specs = new HashMap<TopicPartition, OffsetSpec>();
            partitions.forEach(p -> specs.put(p, OffsetSpec.latest()));
            var ends = admin.listOffsets(specs).all().get();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            long[] first = null;
            while (System.nanoTime() < deadline) {
                var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                long lag = 0;
                long done = 0;
                for (var p : partitions) {
                    var c = committed.get(p);
                    done += c == null ? 0 : c.offset();
                    lag += ends.get(p).offset() - (c == null ? 0 : c.offset());
                }
                if (first == null && done > 0) {
                    first = new long[] {System.nanoTime(), done, streamThreadsCpuNanos(), processCpuNanos()};
                }
                if (lag <= 0) {
                    return first;
                }
                Thread.sleep(50);
            }
            throw new IllegalStateException("the pipeline did not catch up within 10 minutes");
        }
    }

    /** CPU time used so far by this JVM. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU time used so far by the Kafka Streams stream threads of this JVM. */
    private static long streamThreadsCpuNanos() {
        var mx = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (var thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().contains("-StreamThread-")) {
                total += Math.max(0, mx.getThreadCpuTime(thread.getId()));
            }
        }
        return total;
    }

    private static long[] probe(KafkaProducer<String, byte[]> producer, String bootstrap, String decisionsTopic,
            String telemetryTopic, int probes) throws Exception {
        var seen = new ConcurrentHashMap<String, Long>();
        var running = new AtomicBoolean(true);
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var reader = new Thread(() -> {
            try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
                var partitions = consumer.partitionsFor(decisionsTopic).stream()
                        .map(p -> new TopicPartition(decisionsTopic, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                while (running.get()) {
                    for (var r : consumer.poll(Duration.ofMillis(20))) {
                        var d = MeshSerdes.decision().deserialize(r.topic(), r.value());
                        if (d.getPayload() instanceof Ejection e && e.getEjected()) {
                            seen.putIfAbsent(e.getService() + "/" + e.getEndpoint(), System.nanoTime());
                        }
                    }
                }
            }
        }, "bench-decisions");
        reader.start();
        Thread.sleep(1000);
        var serde = MeshSerdes.requestTelemetry();
        long[] delays = new long[probes];
        for (int k = 0; k < probes; k++) {
            var service = "probe-" + k;
            long sent = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                var event = PipelineDriver.event("caller-" + i, service, "10.9.9.9:80", 503, Instant.now()).build();
                producer.send(new ProducerRecord<>(telemetryTopic, service, serde.serialize(telemetryTopic, event)));
            }
            producer.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!seen.containsKey(service + "/10.9.9.9:80") && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            var at = seen.get(service + "/10.9.9.9:80");
            delays[k] = at == null ? 30_000 : (at - sent) / 1_000_000;
        }
        running.set(false);
        reader.join();
        return delays;
    }
}
