package io.meshlog.proxy.identity;

import io.meshlog.proxy.config.SidecarKafkaClients;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.v1.CertificateRejected;
import io.meshlog.schemas.v1.IssuedCertificate;
import io.meshlog.schemas.v1.TrustBundle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, on its own thread and without a consumer group, every partition of the issued and
 * rejected certificate topics from their end (only answers to requests sent from now on matter)
 * and the trust topic from its beginning (it is compacted: the latest bundle is there). Records
 * for other proxies are dropped here; the rest go to the given callbacks.
 * {@link #assigned()} completes once positions are fixed, so a request sent after it cannot be
 * answered unseen.
 */
final class CertificateTopicsConsumer implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(CertificateTopicsConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<String, byte[]> consumer;
    private final TopicCatalogue topics;
    private final String proxyId;
    private final String trustDomain;
    private final Consumer<IssuedCertificate> onIssued;
    private final Consumer<CertificateRejected> onRejected;
    private final Consumer<TrustBundle> onTrust;
    private final CompletableFuture<Void> assigned = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean running = true;

    CertificateTopicsConsumer(Map<String, Object> kafka, TopicCatalogue topics, String proxyId,
            String trustDomain, Consumer<IssuedCertificate> onIssued,
            Consumer<CertificateRejected> onRejected, Consumer<TrustBundle> onTrust) {
        var config = SidecarKafkaClients.settings(kafka);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Answers are written in the signer's transactions: a signer fenced or killed mid-batch
        // leaves aborted answers that its successor writes again; only committed ones count.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.topics = topics;
        this.proxyId = proxyId;
        this.trustDomain = trustDomain;
        this.onIssued = onIssued;
        this.onRejected = onRejected;
        this.onTrust = onTrust;
        this.thread = new Thread(this::run, "identity-consumer-" + proxyId);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    CompletableFuture<Void> assigned() {
        return assigned;
    }

    private void run() {
        try {
            assign();
            while (running) {
                for (var record : consumer.poll(POLL)) {
                    dispatch(record);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                assigned.completeExceptionally(e);
            }
        } catch (RuntimeException e) {
            assigned.completeExceptionally(e);
            LOGGER.atError().setCause(e).addKeyValue("proxyId", proxyId).addKeyValue("error", e.getMessage())
                    .log("certificate topics consumer stopped: this proxy can no longer renew its certificate");
        } finally {
            consumer.close();
        }
    }

    private void assign() {
        var ends = partitions(topics.certIssued().name());
        ends.addAll(partitions(topics.certRejected().name()));
        var trust = partitions(topics.trust().name());
        var all = new ArrayList<>(ends);
        all.addAll(trust);
        consumer.assign(all);
        consumer.seekToEnd(ends);
        consumer.seekToBeginning(trust);
        for (var partition : all) { // resolve the lazy seeks now, however long Kafka takes
            while (running) {
                try {
                    consumer.position(partition, Duration.ofSeconds(5));
                    break;
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    LOGGER.atWarn().addKeyValue("partition", partition).addKeyValue("proxyId", proxyId)
                            .log("no answer from Kafka for the partition's offset; still trying");
                }
            }
        }
        assigned.complete(null);
    }

    private List<TopicPartition> partitions(String topic) {
        while (running) {
            List<org.apache.kafka.common.PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                // The broker is down or slow (found by bench/chaos.sh: on a loaded machine every
                // sidecar died here at start): keep waiting, as for a topic that does not exist yet.
                LOGGER.atWarn().addKeyValue("topic", topic).addKeyValue("proxyId", proxyId)
                        .log("no answer from Kafka for the topic's partitions; still trying");
                continue;
            }
            if (infos != null && !infos.isEmpty()) {
                var result = new ArrayList<TopicPartition>();
                infos.forEach(i -> result.add(new TopicPartition(i.topic(), i.partition())));
                return result;
            }
            LOGGER.atWarn().addKeyValue("topic", topic).addKeyValue("proxyId", proxyId)
                    .log("waiting for topic to exist (is cert-service running?)");
        }
        throw new WakeupException();
    }

    private void dispatch(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        var topic = record.topic();
        try {
            if (topic.equals(topics.trust().name())) {
                var bundle = MeshSerdes.trustBundle().deserialize(topic, record.value());
                if (trustDomain.equals(bundle.getTrustDomain())) {
                    onTrust.accept(bundle);
                }
            } else if (proxyId.equals(record.key())) {
                if (topic.equals(topics.certIssued().name())) {
                    onIssued.accept(MeshSerdes.issuedCertificate().deserialize(topic, record.value()));
                } else {
                    onRejected.accept(MeshSerdes.certificateRejected().deserialize(topic, record.value()));
                }
            }
        } catch (RuntimeException e) {
            LOGGER.atWarn().addKeyValue("topic", topic).addKeyValue("partition", record.partition())
                    .addKeyValue("offset", record.offset()).addKeyValue("error", e.getMessage())
                    .log("skipping unreadable certificate-topic record");
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
