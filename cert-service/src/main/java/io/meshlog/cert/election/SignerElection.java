package io.meshlog.cert.election;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Elects one signer among the cert-service instances of a mesh: each joins the group {@code
 * groupId} on a topic of one partition and reads nothing (the partition is paused); the owner of
 * that partition is the signer. The sticky assignor keeps the partition where it is when a standby
 * joins, so starting a standby never moves signing. Not thread-safe: one thread polls it.
 */
public final class SignerElection implements AutoCloseable {
    /** How long a killed signer keeps the partition before a standby gets it (Kafka's lowest default bound). */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(6);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean signer;

    /**
     * @param kafka client settings (bootstrap and security); the group's own settings are set here
     * @param groupId the election group, one per mesh (the topic prefix keeps meshes apart)
     * @param topic a topic of exactly one partition; its records are never read
     */
    public SignerElection(Map<String, Object> kafka, String groupId, String topic) {
        var config = new HashMap<>(kafka);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) DEFAULT_SESSION_TIMEOUT.toMillis());
        config.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-" + ProcessHandle.current().pid());
        consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                consumer.pause(partitions);
                signer = !consumer.assignment().isEmpty();
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                signer = signer && !consumer.assignment().stream().allMatch(partitions::contains);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                signer = false;
            }
        });
    }

    /** Takes part in the group for up to {@code timeout} (heartbeats, rebalances); never returns records. */
    public void poll(Duration timeout) {
        consumer.poll(timeout);
    }

    /** Whether this instance owned the election partition at its last poll. */
    public boolean isSigner() {
        return signer;
    }

    /** Leaves the group at once, so a standby takes over without waiting out the session. */
    @Override
    public void close() {
        signer = false;
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
