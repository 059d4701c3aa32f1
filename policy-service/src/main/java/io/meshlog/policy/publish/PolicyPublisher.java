package io.meshlog.policy.publish;

import io.meshlog.policy.model.PolicyKey;
import io.meshlog.policy.store.LogReader;
import io.meshlog.schemas.v1.PolicyEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes policy events and tombstones, each in its own Kafka transaction under one
 * {@code transactional.id} shared by every policy-service instance of the mesh. That id is the
 * write lock: the instance that initialised it last is the only one whose commits succeed, and
 * initialising it aborts whatever a crashed or paused instance left open. So several instances
 * can serve the API at once without a leader election; an instance that finds itself fenced
 * takes the id back ({@link #takeOver}) and re-checks the change against the log before writing.
 *
 * <p>Thread: one caller at a time (the writer's thread); commits block up to {@code max.block.ms}.
 */
public final class PolicyPublisher implements AutoCloseable {
    static final String PUBLISH_LATENCY = "meshlog.policy.publish.latency";
    private static final Logger LOGGER = LoggerFactory.getLogger(PolicyPublisher.class);

    private final Supplier<Producer<String, PolicyEvent>> producers;
    private final String topic;
    private final MeterRegistry registry;
    private final Counter takeOvers;
    private Producer<String, PolicyEvent> producer;

    /**
     * @param producers makes a transactional producer (the shared {@code transactional.id},
     *     acks=all; see {@code PolicyService}); called again after a fence or a failure
     */
    public PolicyPublisher(Supplier<Producer<String, PolicyEvent>> producers, String topic, MeterRegistry registry) {
        this.producers = producers;
        this.topic = topic;
        this.registry = registry;
        this.takeOvers = Counter.builder("meshlog.policy.writer.takeovers")
                .description("Times this instance took the write lock (the transactional id) and caught up with the log")
                .register(registry);
    }

    /** Whether this instance holds the write lock as far as it knows (it may be fenced at the next commit). */
    public boolean holdsWriteLock() {
        return producer != null;
    }

    /**
     * Takes the write lock: a new producer on the shared transactional id, which fences every other
     * instance's producer and aborts their open transactions. The caller must then catch up with
     * the log before it checks a change.
     */
    public void takeOver() {
        release();
        var fresh = producers.get();
        try {
            fresh.initTransactions();
        } catch (RuntimeException e) {
            fresh.close(Duration.ZERO);
            throw new KafkaUnavailableException(e);
        }
        producer = fresh;
        takeOvers.increment();
        LOGGER.atInfo().addKeyValue("topic", topic).log("policy write lock taken");
    }

    /**
     * Publishes {@code event} under {@code key} in one transaction; a null event is a tombstone.
     *
     * @throws FencedException another instance took the write lock since {@link #takeOver}
     * @throws KafkaUnavailableException Kafka did not take it
     */
    public RecordMetadata publish(PolicyKey key, PolicyEvent event, String author) {
        if (producer == null) {
            throw new IllegalStateException("take the write lock first");
        }
        var record = new ProducerRecord<>(topic, key.toString(), event);
        record.headers().add(LogReader.AUTHOR_HEADER, author.getBytes(StandardCharsets.UTF_8));
        var sample = Timer.start(registry);
        var outcome = "error";
        try {
            producer.beginTransaction();
            var sent = producer.send(record);
            producer.commitTransaction();
            var metadata = sent.get();
            outcome = "ok";
            return metadata;
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            outcome = "fenced";
            release();
            throw new FencedException(e);
        } catch (ExecutionException e) {
            release();
            throw new KafkaUnavailableException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release();
            throw new KafkaUnavailableException(e);
        } catch (RuntimeException e) {
            // A fence can also surface wrapped, e.g. as the cause of a KafkaException at commit.
            release();
            if (e.getCause() instanceof ProducerFencedException || e.getCause() instanceof InvalidProducerEpochException) {
                outcome = "fenced";
                throw new FencedException(e);
            }
            throw new KafkaUnavailableException(e);
        } finally {
            sample.stop(Timer.builder(PUBLISH_LATENCY).description("Time until Kafka committed a policy change")
                    .tag("outcome", outcome).register(registry));
        }
    }

    /** Drops the producer (its open transaction, if any, is aborted by the next owner of the id). */
    private void release() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    /** Another instance took the write lock: this one must take it back and re-check. */
    public static final class FencedException extends RuntimeException {
        FencedException(Throwable cause) {
            super("another policy-service instance took the write lock", cause);
        }
    }
}
