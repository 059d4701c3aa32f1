package io.meshlog.proxy.decisions;

import io.meshlog.proxy.config.SidecarKafkaClients;
import io.meshlog.proxy.resilience.Ejection;
import io.meshlog.proxy.resilience.LocalEjectionListener;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.v1.Decision;
import io.meshlog.schemas.v1.EjectionReason;
import io.meshlog.schemas.v1.EjectionScope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports this proxy's own ejections (its {@code LocalOutlierDetector}) on {@code
 * mesh.decisions.v1} as {@code Ejection}s with scope {@code LOCAL} and this proxy's id, under
 * {@code local-ejection/<proxyId>/<service>/<host:port>} (compacted: the newest state per endpoint
 * and proxy stays), so the console can show them beside the pipeline's cluster-wide ones. Proxies
 * never apply them ({@link DecisionApplier} ignores the LOCAL scope).
 *
 * <p>Never blocks the caller (an event loop): reports queue for one sender thread; past {@link
 * #QUEUE_CAPACITY} waiting they are dropped and counted. Counter {@code
 * meshlog.proxy.local.ejections.reported} (tag {@code outcome}: sent, dropped, failed).
 */
public final class LocalEjectionPublisher implements LocalEjectionListener, AutoCloseable {
    /** Key prefix of local ejections. */
    public static final String LOCAL_EJECTION = "local-ejection/";
    public static final String REPORTED = "meshlog.proxy.local.ejections.reported";
    static final int QUEUE_CAPACITY = 1_000;
    private static final Logger LOGGER = LoggerFactory.getLogger(LocalEjectionPublisher.class);

    private final String topic;
    private final String proxyId;
    private final Clock clock;
    private final KafkaProducer<String, Decision> producer;
    private final ThreadPoolExecutor sender;
    private final Map<String, Counter> outcomes = new HashMap<>();

    /**
     * @param kafka producer settings ({@code bootstrap.servers}, security, ...)
     * @param topic the decisions topic with the catalogue's prefix
     */
    public LocalEjectionPublisher(Map<String, Object> kafka, String topic, String proxyId, Clock clock,
            MeterRegistry registry) {
        this.topic = topic;
        this.proxyId = proxyId;
        this.clock = clock;
        for (var outcome : new String[] {"sent", "dropped", "failed"}) {
            outcomes.put(outcome, Counter.builder(REPORTED).tag("outcome", outcome)
                    .description("Local ejections and returns reported on the decisions topic").register(registry));
        }
        var props = SidecarKafkaClients.settings(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "meshlog-local-ejections-" + proxyId);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), MeshSerdes.decision());
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE_CAPACITY),
                runnable -> {
                    var thread = new Thread(runnable, "meshlog-local-ejections");
                    thread.setDaemon(true);
                    return thread;
                }, (runnable, executor) -> outcomes.get("dropped").increment());
    }

    /** {@code local-ejection/<proxyId>/<service>/<host:port>}. */
    public static String key(String proxyId, String service, String endpoint) {
        return LOCAL_EJECTION + proxyId + "/" + service + "/" + endpoint;
    }

    /** The record reporting that {@code endpoint} was ejected ({@code ejected}) or is back. */
    static Decision decision(String proxyId, String service, String endpoint, Ejection ejection, boolean ejected,
            Cause cause, java.time.Instant at) {
        return Decision.newBuilder().setPayload(io.meshlog.schemas.v1.Ejection.newBuilder()
                .setService(service).setEndpoint(endpoint).setEjected(ejected)
                .setReason(!ejected ? EjectionReason.EJECTION_EXPIRED : cause == Cause.CONSECUTIVE_GATEWAY_ERRORS
                        ? EjectionReason.CONSECUTIVE_GATEWAY_ERRORS : EjectionReason.CONSECUTIVE_5XX)
                .setEjectionCount(ejection.times()).setUntil(ejected ? ejection.until() : null).setDecidedAt(at)
                .setDetail(ejection.reason()).setScope(EjectionScope.LOCAL).setProxyId(proxyId).build()).build();
    }

    @Override
    public void ejected(String service, String endpoint, Ejection ejection, Cause cause) {
        report(service, endpoint, decision(proxyId, service, endpoint, ejection, true, cause, clock.instant()));
    }

    @Override
    public void returned(String service, String endpoint, Ejection ended) {
        report(service, endpoint, decision(proxyId, service, endpoint, ended, false, null, clock.instant()));
    }

    private void report(String service, String endpoint, Decision decision) {
        if (sender.isShutdown()) {
            return;
        }
        sender.execute(() -> send(key(proxyId, service, endpoint), decision));
    }

    private void send(String key, Decision decision) {
        try {
            producer.send(new ProducerRecord<>(topic, key, decision), (metadata, error) -> {
                if (error == null) {
                    outcomes.get("sent").increment();
                } else {
                    failed(error);
                }
            });
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void failed(Exception error) {
        outcomes.get("failed").increment();
        LOGGER.atWarn().addKeyValue("proxyId", proxyId).addKeyValue("topic", topic)
                .addKeyValue("error", error.toString())
                .log("could not report a local ejection");
    }

    /** Sends what is queued (up to a few seconds), then closes the producer. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
