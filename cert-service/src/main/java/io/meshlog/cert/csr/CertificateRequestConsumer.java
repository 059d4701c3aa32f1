package io.meshlog.cert.csr;

import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.serde.SkippingPoller;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.v1.CertificateRejected;
import io.meshlog.schemas.v1.CertificateRequest;
import io.meshlog.schemas.v1.IssuedCertificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.meshlog.cert.election.SignerElection;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code mesh.cert.requests.v1} on its own thread while this instance is the mesh's signer
 * ({@link SignerElection}); a standby only takes part in the election. The signer decides each
 * request with the {@link CertificateRequestHandler} and publishes the answer keyed by proxy id
 * (an IssuedCertificate on {@code mesh.cert.issued.v1} or a CertificateRejected on
 * {@code mesh.cert.rejected.v1}) in a Kafka transaction together with the requests' offsets:
 * a request is answered exactly once in what {@code read_committed} readers see, also across a
 * failover (the new signer starts at the offsets the last transaction committed). The
 * transactional id is shared by every instance, so taking over fences an old signer that did not
 * notice it lost the election; its open transaction is aborted. Requests older than
 * {@link #STALE_AFTER} are skipped: their proxy has retried since.
 */
public final class CertificateRequestConsumer implements AutoCloseable {
    /** Requests older than this are not answered. */
    public static final Duration STALE_AFTER = Duration.ofMinutes(10);

    private static final Logger LOGGER = LoggerFactory.getLogger(CertificateRequestConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<String, CertificateRequest> consumer;
    private final Supplier<Producer<String, byte[]>> producers;
    private final SignerElection election;
    private final CertificateRequestHandler handler;
    private final CertificateMetrics metrics;
    private final TopicCatalogue topics;
    private final Clock clock;
    private final Thread thread;
    private Producer<String, byte[]> producer;
    private volatile boolean running = true;

    /**
     * @param kafka consumer settings (bootstrap and any extras); group and deserializers are set here
     * @param producers makes the transactional producer (shared {@code transactional.id}) at each takeover
     * @param election tells whether this instance signs; closed with this consumer
     */
    public CertificateRequestConsumer(Map<String, Object> kafka, Supplier<Producer<String, byte[]>> producers,
            SignerElection election, CertificateRequestHandler handler, CertificateMetrics metrics,
            TopicCatalogue topics, Clock clock) {
        var config = new HashMap<>(kafka);
        config.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, "meshlog-cert-service");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                MeshSerdes.certificateRequest().deserializer());
        this.producers = producers;
        this.election = election;
        this.handler = handler;
        this.metrics = metrics;
        this.topics = topics;
        this.clock = clock;
        this.thread = new Thread(this::run, "cert-request-consumer");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Whether this instance is signing now. */
    public boolean signing() {
        return running && election.isSigner() && producer != null;
    }

    private void run() {
        var poller = new SkippingPoller<>(consumer, skipped -> LOGGER.atWarn()
                .addKeyValue("topic", skipped.topic())
                .addKeyValue("partition", skipped.partition())
                .addKeyValue("offset", skipped.offset())
                .addKeyValue("error", skipped.getMessage())
                .log("skipping undecodable certificate request"));
        try {
            while (running) {
                election.poll(producer == null ? POLL : Duration.ZERO);
                if (election.isSigner() && producer == null) {
                    takeOver();
                } else if (!election.isSigner() && producer != null) {
                    stepDown("lost the signer election");
                }
                if (producer != null) {
                    var records = poller.poll(POLL);
                    if (!records.isEmpty()) {
                        answerInTransaction(records);
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOGGER.atError().setCause(e).addKeyValue("error", e.getMessage())
                    .log("certificate request consumer stopped: no certificates will be issued");
        } finally {
            if (producer != null) {
                producer.close(Duration.ZERO);
            }
            consumer.close();
            election.close();
        }
    }

    /** Fences any older signer, then reads the requests from the offsets its last transaction committed. */
    private void takeOver() {
        producer = producers.get();
        producer.initTransactions();
        var topic = topics.certRequests().name();
        consumer.assign(consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList());
        metrics.takeOver();
        LOGGER.atInfo().log("this instance signs certificates now");
    }

    private void stepDown(String why) {
        consumer.assign(List.of()); // the next takeover reads the committed offsets again
        producer.close(Duration.ZERO);
        producer = null;
        LOGGER.atWarn().addKeyValue("reason", why).log("this instance stopped signing: standby");
    }

    private void answerInTransaction(ConsumerRecords<String, CertificateRequest> records) {
        try {
            producer.beginTransaction();
            var offsets = new HashMap<TopicPartition, OffsetAndMetadata>();
            for (var record : records) {
                if (record.value() != null) {
                    answer(record.value(), record.partition(), record.offset());
                }
                offsets.put(new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1));
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            stepDown("fenced: another instance took over signing");
        } catch (KafkaException e) {
            if (e.getCause() instanceof ProducerFencedException || e.getCause() instanceof InvalidProducerEpochException) {
                stepDown("fenced: another instance took over signing");
                return;
            }
            // Not committed: nothing of this batch is visible; read it again from the committed offsets.
            LOGGER.atWarn().addKeyValue("error", e.getMessage()).log("certificate answers not committed; retrying");
            stepDown("transaction failed");
        }
    }

    private void answer(CertificateRequest request, int partition, long offset) {
        if (request.getRequestedAt().isBefore(clock.instant().minus(STALE_AFTER))) {
            LOGGER.atInfo().addKeyValue("proxyId", request.getProxyId())
                    .addKeyValue("partition", partition).addKeyValue("offset", offset)
                    .log("skipping stale certificate request");
            return;
        }
        var outcome = handler.handle(request);
        if (outcome instanceof IssuedCertificate issued) {
            var topic = topics.certIssued().name();
            producer.send(new ProducerRecord<>(topic, issued.getProxyId(),
                    MeshSerdes.issuedCertificate().serialize(topic, issued)));
            metrics.issued();
            LOGGER.atInfo().addKeyValue("proxyId", issued.getProxyId())
                    .addKeyValue("spiffeId", issued.getSpiffeId())
                    .addKeyValue("serial", issued.getSerial())
                    .addKeyValue("notAfter", issued.getNotAfter())
                    .log("certificate issued");
        } else if (outcome instanceof CertificateRejected rejected) {
            var topic = topics.certRejected().name();
            producer.send(new ProducerRecord<>(topic, rejected.getProxyId(),
                    MeshSerdes.certificateRejected().serialize(topic, rejected)));
            metrics.rejected(rejected.getReason());
            LOGGER.atWarn().addKeyValue("proxyId", rejected.getProxyId())
                    .addKeyValue("spiffeId", rejected.getSpiffeId())
                    .addKeyValue("reason", rejected.getReason())
                    .log(rejected.getMessage());
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
