package io.meshlog.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.schemas.SampleEvents;
import io.meshlog.schemas.v1.RequestTelemetry;
import java.nio.charset.StandardCharsets;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    @Test
    void everyEventTypeRoundTrips() {
        for (SpecificRecord event : SampleEvents.all()) {
            var serde = serdeFor(event);
            var bytes = serde.serialize("t", event);
            assertThat(bytes[0]).as("single-object marker").isEqualTo((byte) 0xC3);
            assertThat(bytes[1]).isEqualTo((byte) 0x01);
            assertThat(serde.deserialize("t", bytes)).as(event.getSchema().getName()).isEqualTo(event);
        }
    }

    @Test
    void nullIsATombstoneBothWays() {
        var serde = MeshSerdes.policyEvent();
        assertThat(serde.serialize("t", null)).isNull();
        assertThat(serde.deserialize("t", null)).isNull();
    }

    @Test
    void garbageNamesTopicAndMissingFingerprint() {
        var serde = MeshSerdes.requestTelemetry();
        var garbage = "hello, not avro".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> serde.deserialize("mesh.telemetry.requests.v1", garbage))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining("mesh.telemetry.requests.v1")
                .hasMessageContaining("schema fingerprint none")
                .hasMessageContaining("not an Avro single-object record");
    }

    @Test
    void unknownFingerprintIsNamedInHex() {
        var serde = MeshSerdes.requestTelemetry();
        assertThatThrownBy(() -> serde.deserialize("topic-x", OldSchemaRecords.unknownFingerprintBytes()))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining("topic-x")
                .hasMessageContaining(OldSchemaRecords.UNKNOWN_FINGERPRINT_HEX)
                .hasMessageContaining("unknown schema fingerprint");
    }

    @Test
    void recordWrittenWithOlderSchemaReadsIntoCurrentClass() {
        RequestTelemetry decoded = MeshSerdes.requestTelemetry()
                .deserialize("t", OldSchemaRecords.telemetryV0Bytes());

        var expected = SampleEvents.requestTelemetry();
        assertThat(decoded.getTraceId()).isEqualTo(expected.getTraceId());
        assertThat(decoded.getStatus()).isEqualTo(503);
        assertThat(decoded.getUpstreamMicros()).isEqualTo(expected.getUpstreamMicros());
        assertThat(decoded.getEventTime()).isEqualTo(expected.getEventTime());
        // Fields the old version lacked take their defaults.
        assertThat(decoded.getTlsHandshakeMicros()).isZero();
        assertThat(decoded.getRetrySuppressed()).isFalse();
        assertThat(decoded.getProxyMicros()).isZero();
    }

    @Test
    void aTelemetryPolicyWrittenBeforeIstiosListsReadsIntoCurrentClassWithEmptyLists() {
        var decoded = MeshSerdes.policyEvent().deserialize("p", OldSchemaRecords.flatTelemetryPolicyBytes());

        assertThat(decoded.getName()).isEqualTo("default");
        var spec = (io.meshlog.schemas.v1.TelemetrySpec) decoded.getSpec();
        assertThat(spec.getRandomSamplingPercentage()).isEqualTo(10.0);
        assertThat(spec.getTracing()).isEmpty();
        assertThat(spec.getMetrics()).isEmpty();
        assertThat(spec.getAccessLogging()).isEmpty();
    }

    @Test
    void recordWrittenBeforeThePathFieldReadsWithNoPath() {
        RequestTelemetry decoded = MeshSerdes.requestTelemetry().deserialize("t", OldSchemaRecords.telemetryBytes(1));

        assertThat(decoded.getStatus()).isEqualTo(503);
        assertThat(decoded.getRetrySuppressed()).isTrue();
        assertThat(decoded.getPath()).isNull();
    }

    @Test
    void recordWrittenBeforeObserveModeReadsAsEnforcedWithNothingItWouldHaveDone() {
        RequestTelemetry decoded = MeshSerdes.requestTelemetry().deserialize("t", OldSchemaRecords.telemetryBytes(2));

        assertThat(decoded.getStatus()).isEqualTo(503);
        assertThat(decoded.getObserve()).isFalse();
        assertThat(decoded.getWouldHave()).isEmpty();
        assertThat(decoded.getProxyNamespace()).isNull();
    }

    @Test
    void recordWrittenBeforeTheShadowFieldsReadsAsNotMirrored() {
        RequestTelemetry decoded = MeshSerdes.requestTelemetry().deserialize("t", OldSchemaRecords.telemetryBytes(2));

        assertThat(decoded.getPath()).isEqualTo("/orders/42");
        assertThat(decoded.getPrimaryBodyHash()).isNull();
        assertThat(decoded.getShadowStatus()).isNull();
        assertThat(decoded.getShadowDurationMicros()).isNull();
        assertThat(decoded.getShadowBodyHash()).isNull();
        assertThat(decoded.getShadowResponseFlags()).isEmpty();
    }

    @Test
    void recordWrittenBeforeTheWeightFieldStandsForOneRequest() {
        RequestTelemetry decoded = MeshSerdes.requestTelemetry().deserialize("t", OldSchemaRecords.telemetryBytes(2));

        assertThat(decoded.getStatus()).isEqualTo(503);
        assertThat(decoded.getPath()).isEqualTo(SampleEvents.requestTelemetry().getPath());
        assertThat(decoded.getWeight()).isEqualTo(1);
    }

    @Test
    void anEjectionWrittenBeforeScopesReadsAsClusterWide() {
        var decoded = MeshSerdes.decision().deserialize("t", OldSchemaRecords.decisionV0Bytes());

        var ejection = (io.meshlog.schemas.v1.Ejection) decoded.getPayload();
        assertThat(ejection.getEndpoint()).isEqualTo("127.0.0.1:8083");
        assertThat(ejection.getScope()).isEqualTo(io.meshlog.schemas.v1.EjectionScope.CLUSTER);
        assertThat(ejection.getProxyId()).isNull();
    }

    @Test
    void withoutTheHistoryTheOldRecordIsUnknown() {
        var serde = AvroSerde.of(RequestTelemetry.class, new SchemaStore.Cache());
        var old = OldSchemaRecords.telemetryV0Bytes();
        assertThatThrownBy(() -> serde.deserialize("t", old))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining(AvroSerde.fingerprintOf(old));
    }

    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> AvroSerde<T> serdeFor(T event) {
        return AvroSerde.of((Class<T>) event.getClass());
    }
}
