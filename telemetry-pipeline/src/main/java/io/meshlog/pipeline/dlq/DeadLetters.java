package io.meshlog.pipeline.dlq;

import io.meshlog.schemas.serde.AvroSerde;
import io.meshlog.schemas.serde.UndecodableRecordException;
import io.meshlog.schemas.v1.DeadLetter;
import java.nio.ByteBuffer;

/** Builds the DeadLetter record of a record that could not be processed. */
public final class DeadLetters {
    /** Reasons are cut to this length: a decoder's message can quote large inputs. */
    static final int MAX_REASON = 1000;

    private DeadLetters() {}

    public static DeadLetter of(String topic, int partition, long offset, byte[] key, byte[] value,
            Exception exception, String processor, long now) {
        var reason = exception instanceof UndecodableRecordException u ? u.at(partition, offset).getMessage()
                : exception.getClass().getSimpleName() + ": " + exception.getMessage();
        if (reason.length() > MAX_REASON) {
            reason = reason.substring(0, MAX_REASON) + "…";
        }
        return DeadLetter.newBuilder().setSourceTopic(topic).setSourcePartition(partition)
                .setSourceOffset(offset).setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value)).setReason(reason)
                .setSchemaFingerprint(AvroSerde.fingerprintOf(value))
                .setProcessor(processor == null ? "unknown" : processor).setFailedAt(java.time.Instant.ofEpochMilli(now)).build();
    }
}
