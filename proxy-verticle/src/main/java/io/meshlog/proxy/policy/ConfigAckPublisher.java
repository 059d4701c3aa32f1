package io.meshlog.proxy.policy;

import io.meshlog.proxy.config.SidecarKafkaClients;
import io.meshlog.policy.model.MeshScope;
import io.meshlog.policy.model.SidecarScope;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.v1.AckScope;
import io.meshlog.schemas.v1.ConfigAck;
import io.meshlog.schemas.v1.RejectedPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the control plane which configuration this proxy enforces: a {@link ConfigAck} on
 * {@code mesh.config.acks.v1}, keyed by proxy id, from an idempotent {@code acks=all} producer.
 * {@link #publish} never blocks: the send happens on the publisher's own thread. Only the newest
 * ack matters on a compacted topic, so an ack still waiting when a newer one arrives is replaced
 * (its future completes with {@code false}).
 *
 * <p>A proxy that stops must leave the control plane's view, or {@code meshctl apply --wait} would
 * wait for it forever: on {@link #close} the publisher sends a tombstone for its key (a clean
 * shutdown), and while it runs it sends its last ack again every {@code heartbeat}, so the policy
 * service can expire a proxy that crashed (no record for three heartbeats). Each record carries the
 * publisher's clock as its time, which is what the policy service reads as "last seen".
 */
public final class ConfigAckPublisher implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ConfigAckPublisher.class);

    private final ConfigAckConfig config;
    private final KafkaProducer<String, ConfigAck> producer;
    private final ScheduledExecutorService sender;
    private final AtomicReference<Pending> next = new AtomicReference<>();
    private final AtomicReference<ConfigAck> last = new AtomicReference<>();

    public ConfigAckPublisher(ConfigAckConfig config) {
        this.config = config;
        var props = SidecarKafkaClients.settings(config.kafka());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "meshlog-config-ack-" + config.proxyId());
        this.producer = new KafkaProducer<>(props, new StringSerializer(), MeshSerdes.configAck());
        this.sender = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "meshlog-config-ack");
            thread.setDaemon(true);
            return thread;
        });
        long heartbeat = config.heartbeat().toMillis();
        if (heartbeat > 0) {
            sender.scheduleWithFixedDelay(this::heartbeat, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Acknowledges {@code state}: the generation of every policy in it and the events it rejected.
     *
     * @return completes with true once Kafka has the ack, false if a newer ack replaced it first,
     *     exceptionally if Kafka refused it
     */
    public CompletableFuture<Boolean> publish(PolicyState state) {
        var generations = new HashMap<String, Long>();
        state.policies().forEach((key, event) -> generations.put(key, event.getGeneration()));
        return publish(state.version(), generations, state.rejected(), state.scope(), null);
    }

    /**
     * Acknowledges a snapshot built by the caller (which may reject more than the consumer did,
     * e.g. a route to an unknown subset).
     *
     * @param snapshotVersion the version of the snapshot now in force
     * @param generations {@code kind/namespace/name} to the generation applied
     * @param rejected the events not applied, with reasons
     */
    public CompletableFuture<Boolean> publish(
            long snapshotVersion, Map<String, Long> generations, List<PolicyRejection> rejected) {
        return publish(snapshotVersion, generations, rejected, SidecarScope.UNSCOPED, null);
    }

    /**
     * As above, for a proxy scoped by a Sidecar: the ack says the scope, so that the status view and
     * {@code apply --wait} expect from it only the policies it holds.
     *
     * @param rootNamespace the root namespace the scope was chosen with (ignored when unscoped)
     */
    public CompletableFuture<Boolean> publish(long snapshotVersion, Map<String, Long> generations,
            List<PolicyRejection> rejected, SidecarScope scope, String rootNamespace) {
        var ack = ConfigAck.newBuilder()
                .setProxyId(config.proxyId())
                .setWorkload(config.workload())
                .setNamespace(config.namespace())
                .setSnapshotVersion(snapshotVersion)
                .setGenerations(Map.copyOf(generations))
                .setRejected(rejected.stream().map(r -> RejectedPolicy.newBuilder()
                        .setPolicyKey(r.policyKey()).setGeneration(r.generation())
                        .setReason(r.reason()).build()).toList())
                .setAppliedAt(config.clock().instant())
                .setCpuSeconds(io.meshlog.proxy.observability.ProcessFootprint.cpuSeconds())
                .setResidentBytes(io.meshlog.proxy.observability.ProcessFootprint.residentBytes())
                .setScope(scope.unscoped() ? null : AckScope.newBuilder()
                        .setRootNamespace(rootNamespace == null ? MeshScope.DEFAULT_ROOT_NAMESPACE : rootNamespace)
                        .setEgressHosts(scope.entries()).build())
                .build();
        var pending = new Pending(ack, new CompletableFuture<>());
        var replaced = next.getAndSet(pending);
        if (replaced != null) {
            replaced.result.complete(false);   // a send of the newest ack is already queued
        } else {
            try {
                sender.execute(this::sendNext);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                next.compareAndSet(pending, null);
                pending.result.completeExceptionally(
                        new IllegalStateException("the ConfigAck publisher is closed", e));
            }
        }
        return pending.result;
    }

    private void sendNext() {
        var pending = next.getAndSet(null);
        if (pending == null) {
            return;
        }
        var ack = pending.ack;
        last.set(ack);
        try {
            producer.send(record(ack),
                    (metadata, error) -> {
                        if (error == null) {
                            LOGGER.atInfo().addKeyValue("proxyId", config.proxyId())
                                    .addKeyValue("version", ack.getSnapshotVersion())
                                    .addKeyValue("policies", ack.getGenerations().size())
                                    .addKeyValue("rejected", ack.getRejected().size())
                                    .log("config ack published");
                            pending.result.complete(true);
                        } else {
                            fail(pending, error);
                        }
                    });
        } catch (RuntimeException e) {
            fail(pending, e);
        }
    }

    /** Sends the last ack again unless a newer one is queued (which says the same: alive). */
    private void heartbeat() {
        var previous = last.get();
        if (previous == null || next.get() != null) {
            return;
        }
        // Same snapshot, today's footprint: the heartbeat is how baselines see a proxy's CPU and memory move.
        var ack = ConfigAck.newBuilder(previous)
                .setCpuSeconds(io.meshlog.proxy.observability.ProcessFootprint.cpuSeconds())
                .setResidentBytes(io.meshlog.proxy.observability.ProcessFootprint.residentBytes()).build();
        try {
            producer.send(record(ack), (metadata, error) -> {
                if (error != null) {
                    LOGGER.atDebug().addKeyValue("proxyId", config.proxyId()).addKeyValue("error", error.getMessage())
                            .log("config ack heartbeat not published");
                }
            });
        } catch (RuntimeException e) {
            LOGGER.atDebug().addKeyValue("proxyId", config.proxyId()).addKeyValue("error", e.getMessage())
                    .log("config ack heartbeat not published");
        }
    }

    /** The tombstone that takes this proxy out of the control plane's view at once. */
    private void leave() {
        try {
            producer.send(record(null), (metadata, error) -> {
                if (error == null) {
                    LOGGER.atInfo().addKeyValue("proxyId", config.proxyId()).log("config ack withdrawn: proxy leaving");
                } else {
                    LOGGER.atWarn().addKeyValue("proxyId", config.proxyId()).addKeyValue("error", error.getMessage())
                            .log("leave tombstone not published: the policy service expires this proxy instead");
                }
            });
        } catch (RuntimeException e) {
            LOGGER.atWarn().addKeyValue("proxyId", config.proxyId()).addKeyValue("error", e.getMessage())
                    .log("leave tombstone not published: the policy service expires this proxy instead");
        }
    }

    private ProducerRecord<String, ConfigAck> record(ConfigAck ack) {
        return new ProducerRecord<>(config.topic(), null, config.clock().millis(), config.proxyId(), ack);
    }

    private void fail(Pending pending, Throwable error) {
        LOGGER.atWarn().addKeyValue("proxyId", config.proxyId())
                .addKeyValue("topic", config.topic())
                .addKeyValue("version", pending.ack.getSnapshotVersion())
                .addKeyValue("error", error.getMessage())
                .log("config ack not published");
        pending.result.completeExceptionally(error);
    }

    /**
     * Sends a queued ack if any and the leave tombstone (within the close timeout), and closes the
     * producer.
     */
    @Override
    public void close() {
        try {
            sender.execute(this::leave);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return; // closed already
        }
        sender.shutdown();
        try {
            sender.awaitTermination(config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(config.closeTimeout());
    }

    private record Pending(ConfigAck ack, CompletableFuture<Boolean> result) {}
}
