package io.meshlog.proxy.telemetry;

import io.meshlog.proxy.config.SidecarKafkaClients;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each {@link RequestTelemetry} to Kafka, keyed by destination service, without ever making
 * the request path wait: {@link #record} puts the event in a bounded lock-free queue and returns;
 * one background thread moves queued events into an idempotent, batching, compressing producer.
 * When the queue is full, or the producer cannot take or deliver an event within its bounds
 * (broker down), the event is dropped and counted: {@link #dropped()} and the
 * {@code meshlog.proxy.telemetry.dropped} counter; delivered ones count in
 * {@code meshlog.proxy.telemetry.sent}.
 */
public final class KafkaTelemetrySink implements TelemetrySink {
    private static final Logger LOGGER = LoggerFactory.getLogger(KafkaTelemetrySink.class);
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final Duration DROP_WARNING_INTERVAL = Duration.ofSeconds(30);

    private final KafkaTelemetryConfig config;
    private final BoundedEventQueue<RequestTelemetry> queue;
    private final TelemetrySinkMetrics metrics;
    private final KafkaProducer<String, RequestTelemetry> producer;
    private final Thread drainer;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong droppedSinceWarning = new AtomicLong();
    private volatile Instant nextDropWarning = Instant.MIN;
    private volatile boolean open = true;
    private volatile boolean ready;

    /** Creates the producer and starts the background thread. */
    public KafkaTelemetrySink(KafkaTelemetryConfig config, MeterRegistry registry) {
        this.config = config;
        this.queue = new BoundedEventQueue<>(config.queueCapacity());
        this.metrics = new TelemetrySinkMetrics(registry, queue::size);
        this.producer = new KafkaProducer<>(producerConfig(config), new StringSerializer(),
                MeshSerdes.requestTelemetry());
        this.drainer = new Thread(this::drain, "meshlog-telemetry-sender");
        drainer.setDaemon(true);
        drainer.start();
    }

    private static Map<String, Object> producerConfig(KafkaTelemetryConfig config) {
        var props = SidecarKafkaClients.settings(config.kafka());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, (int) config.linger().toMillis());
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression());
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, config.bufferMemoryBytes());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.maxBlock().toMillis());
        int delivery = (int) config.deliveryTimeout().toMillis();
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                Math.min(30_000, delivery - (int) config.linger().toMillis()));
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "meshlog-telemetry");
        return props;
    }

    @Override
    public void record(RequestTelemetry event) {
        if (!open) {
            drop(metrics.droppedClosed);
        } else if (event == null || !queue.offer(event)) {
            drop(metrics.droppedQueueFull);
        }
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    /** Events handed to Kafka and acknowledged by it. */
    public long sent() {
        return (long) metrics.sent.count();
    }

    private void drain() {
        awaitTopicMetadata();
        while (open || (ready && queue.size() > 0)) {
            var event = queue.poll();
            if (event == null) {
                if (!open) {
                    return;
                }
                LockSupport.parkNanos(IDLE_PARK_NANOS);
                continue;
            }
            send(event);
        }
    }

    /**
     * Fetches the topic's metadata before the first send: without it every send waits up to
     * {@code max.block.ms} and fails, so a proxy that starts before its broker would drop its
     * first events even though they fit in the queue.
     */
    private void awaitTopicMetadata() {
        long backoffMillis = 50;
        while (open) {
            try {
                producer.partitionsFor(config.topic());
                ready = true;
                return;
            } catch (KafkaException e) {
                LOGGER.atDebug().addKeyValue("topic", config.topic())
                        .addKeyValue("error", e.getMessage()).log("no metadata for the telemetry topic yet");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMillis));
                backoffMillis = Math.min(1000, backoffMillis * 2);
            }
        }
    }

    private void send(RequestTelemetry event) {
        try {
            producer.send(new ProducerRecord<>(config.topic(), event.getDestinationService(), event),
                    (metadata, error) -> {
                        if (error == null) {
                            metrics.sent.increment();
                        } else {
                            drop(metrics.droppedProducer);
                        }
                    });
        } catch (KafkaException | IllegalStateException e) {
            // Serialization failures and a closed producer throw; the rest arrive in the callback.
            drop(open ? metrics.droppedProducer : metrics.droppedClosed);
        }
    }

    private void drop(io.micrometer.core.instrument.Counter reason) {
        dropped.incrementAndGet();
        reason.increment();
        droppedSinceWarning.incrementAndGet();
        var now = config.clock().instant();
        if (now.isAfter(nextDropWarning)) {
            nextDropWarning = now.plus(DROP_WARNING_INTERVAL);
            LOGGER.atWarn().addKeyValue("topic", config.topic())
                    .addKeyValue("dropped", droppedSinceWarning.getAndSet(0))
                    .addKeyValue("droppedTotal", dropped.get())
                    .log("dropping request telemetry: the Kafka producer is behind or unreachable");
        }
    }

    /**
     * Stops accepting events, sends what is queued and flushes the producer, each within the
     * configured close timeout; whatever is left is dropped and counted.
     */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        long deadline = System.nanoTime() + config.closeTimeout().toNanos();
        if (!ready) {
            // The topic's metadata never came: nothing queued can be sent, stop waiting for it.
            producer.close(Duration.ZERO);
        }
        join(deadline);
        if (drainer.isAlive()) {
            // Stuck waiting for metadata or buffer space: closing the producer wakes it up.
            producer.close(Duration.ZERO);
            join(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        }
        for (var left = queue.poll(); left != null; left = queue.poll()) {
            drop(metrics.droppedClosed);
        }
        producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        LOGGER.atInfo().addKeyValue("topic", config.topic()).addKeyValue("sent", sent())
                .addKeyValue("dropped", dropped()).log("telemetry sink closed");
    }

    private void join(long deadlineNanos) {
        try {
            drainer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
