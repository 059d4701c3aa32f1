package io.meshlog.pipeline.policy;

import io.meshlog.schemas.serde.AvroSerde;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.v1.PolicyEvent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of {@link ServicePolicies} in the policies-by-service table: a count, then each policy as
 * a length-prefixed Avro single-object record. Every telemetry event looks its service's policies
 * up, so decoded values are memoised by their bytes (bounded; cleared when full): the same bytes
 * give the same instance, whose parsed settings are then reused.
 */
public final class ServicePoliciesSerde implements Serde<ServicePolicies>,
        Serializer<ServicePolicies>, Deserializer<ServicePolicies> {
    private static final int MEMO_LIMIT = 4096;

    private final AvroSerde<PolicyEvent> events = MeshSerdes.policyEvent();
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Map<BytesKey, ServicePolicies> memo = new ConcurrentHashMap<>();

    /**
     * Bytes as a map key, hashed eight at a time (ByteBuffer's hash reads them one by one, and the
     * lookup runs for every telemetry event).
     */
    private record BytesKey(byte[] data, int hash) {
        static BytesKey of(byte[] data) {
            int h = data.length;
            int i = 0;
            for (; i + Long.BYTES <= data.length; i += Long.BYTES) {
                h = 31 * h + Long.hashCode((long) LONGS.get(data, i));
            }
            for (; i < data.length; i++) {
                h = 31 * h + data[i];
            }
            return new BytesKey(data, h);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof BytesKey that && hash == that.hash && Arrays.equals(data, that.data);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "BytesKey[" + data.length + " bytes]";
        }
    }

    @Override
    public byte[] serialize(String topic, ServicePolicies policies) {
        if (policies == null) {
            return null;
        }
        var parts = new ArrayList<byte[]>();
        int size = Integer.BYTES;
        for (var event : policies.byKey().values()) {
            var bytes = events.serialize(topic, event);
            parts.add(bytes);
            size += Integer.BYTES + bytes.length;
        }
        var out = ByteBuffer.allocate(size).putInt(parts.size());
        parts.forEach(p -> out.putInt(p.length).put(p));
        return out.array();
    }

    @Override
    public ServicePolicies deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        var key = BytesKey.of(data);
        var known = memo.get(key);
        if (known != null) {
            return known;
        }
        var decoded = decode(topic, data);
        if (memo.size() >= MEMO_LIMIT) {
            memo.clear();
        }
        memo.put(new BytesKey(data.clone(), key.hash()), decoded);
        return decoded;
    }

    private ServicePolicies decode(String topic, byte[] data) {
        try {
            var in = ByteBuffer.wrap(data);
            int count = in.getInt();
            var byKey = new HashMap<String, PolicyEvent>();
            for (int i = 0; i < count; i++) {
                var bytes = new byte[in.getInt()];
                in.get(bytes);
                var event = events.deserialize(topic, bytes);
                byKey.put(ServicePolicies.keyOf(event), event);
            }
            return ServicePolicies.of(byKey);
        } catch (RuntimeException e) {
            throw new SerializationException("corrupt service policies in " + topic + ": " + e, e);
        }
    }

    @Override
    public Serializer<ServicePolicies> serializer() {
        return this;
    }

    @Override
    public Deserializer<ServicePolicies> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Nothing to configure.
    }

    @Override
    public void close() {
        memo.clear();
    }
}
