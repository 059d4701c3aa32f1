import io.meshlog.schemas.serde.MeshSerdes;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * bench/chaos.sh's view of the mesh's topics, read committed from the beginning to the end at the
 * time of the call (source-launched: {@code java -cp CP bench/chaos/ChaosProbe.java BOOTSTRAP OUT}).
 *
 * <p>Writes OUT: one line per acknowledged record of the topics whose records must never be lost
 * (policy, issued certificates, decisions, alerts): {@code topic partition offset key sha256}.
 * Prints {@code telemetry=N} (records on the telemetry topic) and {@code duplicate_alerts=N}: an
 * alert emitted twice for one transition (two consecutive records of one key in the same state).
 */
public final class ChaosProbe {
    private static final List<String> KEPT = List.of("mesh.policy.v1", "mesh.cert.issued.v1", "mesh.decisions.v1", "mesh.alerts.v1");

    public static void main(String[] args) throws Exception {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        var lines = new ArrayList<String>();
        long telemetry;
        int duplicates = 0;
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (var topic : KEPT) {
                var lastState = new HashMap<String, String>();
                for (var record : readAll(consumer, topic)) {
                    var key = record.key() == null ? "" : new String(record.key());
                    lines.add(topic + " " + record.partition() + " " + record.offset() + " " + key + " " + sha(record.value()));
                    if (topic.equals("mesh.alerts.v1") && record.value() != null) {
                        var state = MeshSerdes.burnRateAlert().deserialize(topic, record.value()).getState().toString();
                        if (state.equals(lastState.put(key, state))) {
                            duplicates++;
                            System.err.println("duplicate alert: " + key + " " + state + " at offset " + record.offset());
                        }
                    }
                }
            }
            telemetry = readAll(consumer, "mesh.telemetry.requests.v1").size();
        }
        Files.write(Path.of(args[1]), lines);
        System.out.println("telemetry=" + telemetry + " duplicate_alerts=" + duplicates + " kept_records=" + lines.size());
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        var records = new ArrayList<ConsumerRecord<byte[], byte[]>>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(topic + ": not read to its end in 60 s");
            }
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    private static String sha(byte[] value) throws Exception {
        return value == null ? "tombstone" : HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value)).substring(0, 16);
    }
}
