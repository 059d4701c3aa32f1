package io.meshlog.policy.publish;

import io.meshlog.policy.model.PolicyKey;
import io.meshlog.policy.store.LogReader;
import io.meshlog.schemas.v1.PolicyEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Publishes policy events and tombstones; each future completes when Kafka acknowledged. */
public final class PolicyPublisher implements AutoCloseable {
    static final String PUBLISH_LATENCY = "meshlog.policy.publish.latency";

    private final Producer<String, PolicyEvent> producer;
    private final String topic;
    private final MeterRegistry registry;

    /**
     * @param producer an idempotent producer with acks=all (see {@code PolicyServiceConfig})
     */
    public PolicyPublisher(Producer<String, PolicyEvent> producer, String topic, MeterRegistry registry) {
        this.producer = producer;
        this.topic = topic;
        this.registry = registry;
    }

    /** Publishes {@code event} under {@code key}; a null event is a tombstone (delete). */
    public CompletableFuture<RecordMetadata> publish(PolicyKey key, PolicyEvent event, String author) {
        var record = new ProducerRecord<>(topic, key.toString(), event);
        record.headers().add(LogReader.AUTHOR_HEADER, author.getBytes(StandardCharsets.UTF_8));
        var future = new CompletableFuture<RecordMetadata>();
        var sample = Timer.start(registry);
        try {
            producer.send(record, (metadata, error) -> {
                sample.stop(Timer.builder(PUBLISH_LATENCY).description("Time until Kafka acknowledged a policy change")
                        .tag("outcome", error == null ? "ok" : "error").register(registry));
                if (error == null) {
                    future.complete(metadata);
                } else {
                    future.completeExceptionally(new KafkaUnavailableException(error));
                }
            });
        } catch (RuntimeException e) {
            future.completeExceptionally(new KafkaUnavailableException(e));
        }
        return future;
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
