package io.meshlog.schemas.serde;

import io.meshlog.schemas.SampleEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageEncoder;

/** Records as an older producer wrote them, with an older schema version. */
final class OldSchemaRecords {
    private OldSchemaRecords() {}

    /** The RequestTelemetry schema of that historical version (0 is the oldest). */
    static Schema telemetry(int version) {
        return SchemaHistory.historicalSchemas().stream()
                .filter(s -> s.getName().equals("RequestTelemetry"))
                .skip(version).findFirst().orElseThrow();
    }

    /** A RequestTelemetry written with version 0, which had no TLS time nor retry-suppressed flag. */
    static byte[] telemetryV0Bytes() {
        return telemetryBytes(0);
    }

    /** The sample RequestTelemetry as a producer of that historical version wrote it. */
    static byte[] telemetryBytes(int version) {
        var schema = telemetry(version);
        var current = SampleEvents.requestTelemetry();
        var old = new GenericData.Record(schema);
        for (var field : schema.getFields()) {
            var value = current.get(field.name());
            if (value instanceof java.time.Instant instant) {
                value = instant.toEpochMilli();
            } else if (value instanceof Enum<?> e) {
                value = new GenericData.EnumSymbol(field.schema(), e.name());
            } else if (field.name().equals("responseFlags")) {
                var itemSchema = field.schema().getElementType();
                value = current.getResponseFlags().stream()
                        .map(f -> new GenericData.EnumSymbol(itemSchema, f.name())).toList();
            }
            old.put(field.name(), value);
        }
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericData.Record>(GenericData.get(), schema)
                    .encode(old);
            var bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A Telemetry PolicyEvent written with the last schema before Istio's tracing / metrics /
     * accessLogging lists (PolicyEvent-1), in meshlog's former flat form.
     */
    static byte[] flatTelemetryPolicyBytes() {
        // the newest PolicyEvent schema whose TelemetrySpec is still the flat form
        var schema = SchemaHistory.historicalSchemas().stream()
                .filter(s -> s.getName().equals("PolicyEvent") && telemetrySpec(s).getField("tracing") == null)
                .reduce((first, second) -> second).orElseThrow();
        var specSchema = telemetrySpec(schema);
        var spec = new GenericData.Record(specSchema);
        spec.put("selector", null);
        spec.put("randomSamplingPercentage", 10.0);
        spec.put("customTags", java.util.Map.of("team", "payments"));
        spec.put("disableRequestTelemetry", false);
        var event = new GenericData.Record(schema);
        event.put("kind", new GenericData.EnumSymbol(schema.getField("kind").schema(), "Telemetry"));
        event.put("namespace", "shop");
        event.put("name", "default");
        event.put("labels", java.util.Map.of());
        event.put("generation", 1L);
        event.put("author", "tester");
        event.put("time", 0L);
        event.put("spec", spec);
        return encode(schema, event);
    }

    /** An ejection decision as the pipeline wrote it before ejections had a scope. */
    static byte[] decisionV0Bytes() {
        var schema = SchemaHistory.historicalSchemas().stream().filter(s -> s.getName().equals("Decision"))
                .findFirst().orElseThrow();
        var ejectionSchema = schema.getField("payload").schema().getTypes().stream()
                .filter(t -> t.getName().equals("Ejection")).findFirst().orElseThrow();
        var ejection = new GenericData.Record(ejectionSchema);
        ejection.put("service", "inventory");
        ejection.put("endpoint", "127.0.0.1:8083");
        ejection.put("ejected", true);
        ejection.put("reason", new GenericData.EnumSymbol(ejectionSchema.getField("reason").schema(), "CONSECUTIVE_5XX"));
        ejection.put("ejectionCount", 1);
        ejection.put("until", null);
        ejection.put("decidedAt", 1_700_000_000_000L);
        ejection.put("detail", "5 consecutive 5xx");
        var decision = new GenericData.Record(schema);
        decision.put("payload", ejection);
        return encode(schema, decision);
    }

    private static Schema telemetrySpec(Schema policyEvent) {
        return policyEvent.getField("spec").schema().getTypes().stream()
                .filter(s -> s.getName().equals("TelemetrySpec")).findFirst().orElseThrow();
    }

    private static byte[] encode(Schema schema, GenericData.Record record) {
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericData.Record>(GenericData.get(), schema).encode(record);
            var bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A well-formed single-object header whose fingerprint no schema has, then some body. */
    static byte[] unknownFingerprintBytes() {
        return new byte[] {(byte) 0xC3, 0x01, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x08, 2, 4, 6};
    }

    static final String UNKNOWN_FINGERPRINT_HEX = "0877665544332211";
}
