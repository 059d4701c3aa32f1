package io.meshlog.policy.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.schemas.v1.PolicyEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * Every field of every policy kind reaches the topic with an outcome: enforced somewhere, warned
 * with a code, or refused. A new schema field without an entry in {@link FieldCoverage} fails here.
 */
class FieldCoverageTest {
    private static final Path DOC = Path.of("..", "docs", "istio-compatibility.md");

    @Test
    void everySchemaFieldOfEveryKindHasAnOutcomeAndNoEntryIsStale() {
        var fields = new TreeSet<String>();
        for (var spec : PolicyEvent.getClassSchema().getField("spec").schema().getTypes()) {
            collect(spec, fields);
        }

        assertThat(fields).hasSizeGreaterThan(100);
        assertThat(FieldCoverage.all().keySet()).as("fields without an outcome, or outcomes of no field")
                .containsExactlyInAnyOrderElementsOf(fields);
    }

    @Test
    void warnedFieldsCarryAStableCodeAndRefusalsAReason() {
        var all = new java.util.ArrayList<String>();
        FieldCoverage.all().forEach((k, v) -> all.add(v.outcome() + " " + v.detail()));
        IstioFields.all().forEach((k, v) -> all.add(v.treatment() + " " + (v.code() == null ? "" : v.code() + " ") + v.why()));

        assertThat(all).filteredOn(line -> line.startsWith("WARNED")).allMatch(line -> line.matches("WARNED ML02\\d\\d .+"));
        assertThat(all).filteredOn(line -> line.startsWith("REFUSED")).allMatch(line -> line.length() > 20);
    }

    @Test
    void theCompatibilityDocumentMatchesTheRegistry() throws IOException {
        var expected = IstioCompatibilityDoc.render();
        if (Boolean.getBoolean("meshlog.writeDocs")) {
            Files.writeString(DOC, expected);
        }
        assertThat(Files.readString(DOC)).as("docs/istio-compatibility.md is generated: run this test with "
                + "-Dmeshlog.writeDocs=true to refresh it").isEqualTo(expected);
    }

    private static void collect(Schema schema, java.util.Set<String> out) {
        switch (schema.getType()) {
            case UNION -> schema.getTypes().forEach(t -> collect(t, out));
            case ARRAY -> collect(schema.getElementType(), out);
            case MAP -> collect(schema.getValueType(), out);
            case RECORD -> {
                for (var field : schema.getFields()) {
                    if (out.add(schema.getName() + "." + field.name())) {
                        collect(field.schema(), out);
                    }
                }
            }
            default -> { }
        }
    }

}
