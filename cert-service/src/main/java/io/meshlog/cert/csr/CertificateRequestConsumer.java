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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code mesh.cert.requests.v1} on its own thread, decides each request with the
 * {@link CertificateRequestHandler} and publishes the answer keyed by proxy id: an
 * IssuedCertificate on {@code mesh.cert.issued.v1} or a CertificateRejected on
 * {@code mesh.cert.rejected.v1}. Offsets are committed after the answers are written
 * (at least once: a repeated request only yields another certificate for the same key).
 * Requests older than {@link #STALE_AFTER} are skipped: their proxy has retried since.
 */
public final class CertificateRequestConsumer implements AutoCloseable {
    /** Requests older than this are not answered. */
    public static final Duration STALE_AFTER = Duration.ofMinutes(10);

    private static final Logger LOGGER = LoggerFactory.getLogger(CertificateRequestConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<String, CertificateRequest> consumer;
    private final Producer<String, byte[]> producer;
    private final CertificateRequestHandler handler;
    private final CertificateMetrics metrics;
    private final TopicCatalogue topics;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param kafka consumer settings (bootstrap and any extras); group and deserializers are set here
     * @param producer shared producer of serialized values (not closed here)
     */
    public CertificateRequestConsumer(Map<String, Object> kafka, Producer<String, byte[]> producer,
            CertificateRequestHandler handler, CertificateMetrics metrics, TopicCatalogue topics,
            Clock clock) {
        var config = new HashMap<>(kafka);
        config.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, "meshlog-cert-service");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                MeshSerdes.certificateRequest().deserializer());
        this.producer = producer;
        this.handler = handler;
        this.metrics = metrics;
        this.topics = topics;
        this.clock = clock;
        this.thread = new Thread(this::run, "cert-request-consumer");
        this.thread.setDaemon(true);
    }

    public void start() {
        consumer.subscribe(List.of(topics.certRequests().name()));
        thread.start();
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
                var records = poller.poll(POLL);
                for (var record : records) {
                    if (record.value() != null) {
                        answer(record.value(), record.partition(), record.offset());
                    }
                }
                if (!records.isEmpty()) {
                    producer.flush();
                    consumer.commitSync();
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
            consumer.close();
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
