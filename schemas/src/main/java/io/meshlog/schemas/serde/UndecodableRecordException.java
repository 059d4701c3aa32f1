package io.meshlog.schemas.serde;

import java.util.OptionalLong;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record whose bytes are not a meshlog event this process can read: garbage, a truncated body,
 * or a schema fingerprint no schema store here knows. The message names where the record was and
 * the fingerprint it carried, so an operator can find it with {@code kafka-console-consumer}.
 */
public final class UndecodableRecordException extends SerializationException {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final int partition;
    private final long offset;
    private final String fingerprint;

    /**
     * @param topic the topic the record came from
     * @param partition its partition, or -1 when the deserializer could not know it
     * @param offset its offset, or -1 when the deserializer could not know it
     * @param fingerprint the schema fingerprint in the record's header as hex, or "none"
     * @param reason what was wrong
     * @param cause the decoder's exception
     */
    public UndecodableRecordException(
            String topic,
            int partition,
            long offset,
            String fingerprint,
            String reason,
            Throwable cause) {
        super(describe(topic, partition, offset, fingerprint, reason), cause);
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.fingerprint = fingerprint;
    }

    /** The same failure, now that the consumer knows the record's partition and offset. */
    public UndecodableRecordException at(int knownPartition, long knownOffset) {
        return new UndecodableRecordException(
                topic, knownPartition, knownOffset, fingerprint, reason(), getCause());
    }

    private String reason() {
        var message = getMessage();
        return message.substring(message.indexOf(": ") + 2);
    }

    private static String describe(
            String topic, int partition, long offset, String fingerprint, String reason) {
        var where = partition < 0 ? topic : topic + "-" + partition + "@" + offset;
        return "cannot decode record at " + where + " (topic " + topic + ", partition " + partition
                + ", offset " + offset + ", schema fingerprint " + fingerprint + "): " + reason;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    /** The record's offset when known. */
    public OptionalLong offset() {
        return offset < 0 ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /** The schema fingerprint the record carried, as 16 hex digits, or "none". */
    public String fingerprint() {
        return fingerprint;
    }
}
