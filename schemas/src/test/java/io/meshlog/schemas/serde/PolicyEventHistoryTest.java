package io.meshlog.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.schemas.SampleEvents;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/** A PolicyEvent written by an older producer (every PolicyEvent schema in the history) decodes into today's class. */
class PolicyEventHistoryTest {
    @Test
    void everyHistoricalPolicyEventSchemaDecodesWithTheNewFieldsAtTheirDefaults() throws Exception {
        var current = SampleEvents.policyEvent();
        var old = SchemaHistory.historicalSchemas().stream().filter(s -> s.getName().equals("PolicyEvent")).toList();
        assertThat(old).hasSizeGreaterThanOrEqualTo(3);
        for (var schema : old) {
            var decoded = MeshSerdes.policyEvent().deserialize("t", writtenWith(schema, current));
            var route = ((VirtualServiceSpec) decoded.getSpec()).getHttp().get(0);
            assertThat(route.getName()).isEqualTo("canary");
            assertThat(route.getHeaders()).isNull();
            assertThat(route.getRedirect()).isNull();
            assertThat(route.getMirror()).isNull();
            assertThat(route.getMirrorPercentage()).isNull();
            assertThat(route.getStickyWeights()).isNull();
            assertThat(route.getMatch().get(0).getQueryParams()).isEmpty();
            assertThat(route.getMatch().get(0).getHeaders()).containsKey("x-canary-user");
        }
    }

    /** {@code event} as a producer with {@code schema} wrote it: today's fields that schema lacks are dropped. */
    private static byte[] writtenWith(Schema schema, PolicyEvent event) throws Exception {
        var bytes = new ByteArrayOutputStream();
        var encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<PolicyEvent>(PolicyEvent.getClassSchema()).write(event, encoder);
        encoder.flush();
        var decoder = DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null);
        var projected = new GenericDatumReader<GenericData.Record>(PolicyEvent.getClassSchema(), schema).read(null, decoder);
        ByteBuffer buffer = new BinaryMessageEncoder<GenericData.Record>(GenericData.get(), schema).encode(projected);
        var out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
