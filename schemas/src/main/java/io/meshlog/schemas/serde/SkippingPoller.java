package io.meshlog.schemas.serde;

import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.RecordDeserializationException;

/**
 * Polls a Kafka consumer whose deserializers may meet records they cannot read, and steps over
 * them instead of dying: Kafka stops at such a record and throws on every poll until the consumer
 * seeks past it. Each skipped record is reported once, with its partition, offset and fingerprint.
 *
 * <p>Runs on the consumer's own thread, like the consumer.
 */
public final class SkippingPoller<K, V> {
    private static final int MAX_SKIPS_PER_POLL = 1000;

    private final org.apache.kafka.clients.consumer.Consumer<K, V> consumer;
    private final Consumer<UndecodableRecordException> onSkip;

    /**
     * @param consumer the consumer to poll
     * @param onSkip told of every skipped record (log it, count it); runs on the polling thread
     */
    public SkippingPoller(
            org.apache.kafka.clients.consumer.Consumer<K, V> consumer,
            Consumer<UndecodableRecordException> onSkip) {
        this.consumer = consumer;
        this.onSkip = onSkip;
    }

    /** Polls, skipping any undecodable records; returns what could be read. */
    public ConsumerRecords<K, V> poll(Duration timeout) {
        for (int skips = 0; ; skips++) {
            try {
                return consumer.poll(timeout);
            } catch (RecordDeserializationException e) {
                onSkip.accept(describe(e));
                consumer.seek(e.topicPartition(), e.offset() + 1);
                if (skips >= MAX_SKIPS_PER_POLL) {
                    return ConsumerRecords.empty();
                }
            }
        }
    }

    static UndecodableRecordException describe(RecordDeserializationException e) {
        var partition = e.topicPartition().partition();
        if (e.getCause() instanceof UndecodableRecordException undecodable) {
            return undecodable.at(partition, e.offset());
        }
        var value = e.valueBuffer();
        byte[] bytes = null;
        if (value != null) {
            bytes = new byte[value.remaining()];
            value.duplicate().get(bytes);
        }
        return new UndecodableRecordException(
                e.topicPartition().topic(), partition, e.offset(), AvroSerde.fingerprintOf(bytes),
                String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage()),
                e);
    }
}
