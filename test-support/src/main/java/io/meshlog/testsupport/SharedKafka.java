package io.meshlog.testsupport;

import io.meshlog.kafka.embedded.KafkaBroker;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The broker shared by every integration test in this JVM, as a test sees it: where it is, and a
 * fresh topic prefix per call so tests never see each other's records.
 */
public final class SharedKafka {
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final KafkaBroker broker;
    private final Admin admin;

    SharedKafka(KafkaBroker broker) {
        this.broker = broker;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()));
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** A topic name prefix no other test in this JVM has, such as {@code it7.}. */
    public String uniquePrefix() {
        return "it" + PREFIXES.incrementAndGet() + ".";
    }

    /** An Admin client on the shared broker (closed with it; do not close). */
    public Admin admin() {
        return admin;
    }

    /** Base producer settings: bootstrap, acks=all, idempotent. */
    public Map<String, Object> producerConfig() {
        var config = new HashMap<String, Object>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return config;
    }

    /** Base consumer settings for a new group reading from the beginning. */
    public Map<String, Object> consumerConfig(String group) {
        var config = new HashMap<String, Object>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return config;
    }

    void close() {
        admin.close();
        broker.close();
    }
}
