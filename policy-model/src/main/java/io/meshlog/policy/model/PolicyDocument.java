package io.meshlog.policy.model;

import io.meshlog.schemas.v1.PolicyKind;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * One policy document as a user wrote it: what it is, and its typed spec.
 *
 * @param generation the generation the writer read (optimistic concurrency), or null for "any"
 */
public record PolicyDocument(
        PolicyKind kind, String namespace, String name, Map<String, String> labels,
        SpecificRecord spec, Long generation) {
    public PolicyDocument {
        labels = Map.copyOf(labels == null ? Map.of() : labels);
    }

    public PolicyKey key() {
        return new PolicyKey(kind, namespace, name);
    }

    /** Labels in a stable order. */
    public Map<String, String> sortedLabels() {
        return new TreeMap<>(labels);
    }
}
