package io.meshlog.schemas.serde;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer, deserializer and Streams serde for one generated event type, using Avro's
 * single-object encoding: {@code C3 01}, the writer schema's 8-byte fingerprint, then the body.
 * No registry is needed; older writer schemas are found in {@link SchemaHistory}.
 *
 * <p>Thread-safe: Avro's message encoder and decoder keep per-thread buffers.
 *
 * @param <T> the generated record class
 */
public final class AvroSerde<T extends SpecificRecord>
        implements Serde<T>, Serializer<T>, Deserializer<T> {
    private static final int HEADER_LENGTH = 10;

    static {
        AvroTrust.install();
    }

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private AvroSerde(Class<T> type, SchemaStore store) {
        var model = SpecificData.getForClass(type);
        var schema = model.getSchema(type);
        this.type = type;
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema, store);
    }

    /** A serde for {@code type} that also reads every historical version of its schema. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(type, SchemaHistory.store());
    }

    /** A serde that reads exactly the versions in {@code store} besides the current one. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, SchemaStore store) {
        return new AvroSerde<>(type, store);
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null; // a tombstone on a compacted topic
        }
        try {
            ByteBuffer buffer = encoder.encode(data);
            var bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (java.io.IOException | AvroRuntimeException e) {
            throw new SerializationException(
                    "cannot encode " + type.getSimpleName() + " for topic " + topic + ": "
                            + e.getMessage(), e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return decoder.decode(data);
        } catch (MissingSchemaException e) {
            throw undecodable(topic, data, "unknown schema fingerprint for "
                    + type.getSimpleName() + " (written by a newer or foreign producer?)", e);
        } catch (BadHeaderException e) {
            throw undecodable(topic, data, "not an Avro single-object record: " + e.getMessage(), e);
        } catch (java.io.IOException | RuntimeException e) {
            throw undecodable(topic, data, "corrupt " + type.getSimpleName() + " body: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static UndecodableRecordException undecodable(
            String topic, byte[] data, String reason, Throwable cause) {
        return new UndecodableRecordException(topic, -1, -1, fingerprintOf(data), reason, cause);
    }

    /** The fingerprint a single-object record claims, as 16 hex digits, or "none". */
    public static String fingerprintOf(byte[] data) {
        if (data == null || data.length < HEADER_LENGTH || data[0] != (byte) 0xC3
                || data[1] != (byte) 0x01) {
            return "none";
        }
        long fingerprint = ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return HexFormat.of().toHexDigits(fingerprint);
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // Nothing to configure: the schema store is fixed at construction.
    }

    @Override
    public void close() {
        // Stateless beyond per-thread buffers.
    }
}
