package io.meshlog.policy.model;

import io.meshlog.schemas.v1.PolicyEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** Converting between the log's PolicyEvent and the user's document. */
public final class PolicyEvents {
    private PolicyEvents() {}

    public static PolicyKey key(PolicyEvent event) {
        return new PolicyKey(event.getKind(), event.getNamespace(), event.getName());
    }

    public static PolicyDocument document(PolicyEvent event) {
        return new PolicyDocument(event.getKind(), event.getNamespace(), event.getName(), event.getLabels(),
                (SpecificRecord) event.getSpec(), event.getGeneration());
    }

    /** The event that publishes {@code doc} as {@code generation}, written by {@code author} at {@code time}. */
    public static PolicyEvent event(PolicyDocument doc, long generation, String author, Instant time) {
        return PolicyEvent.newBuilder()
                .setKind(doc.kind()).setNamespace(doc.namespace()).setName(doc.name())
                .setLabels(new HashMap<>(doc.labels()))
                .setGeneration(generation).setAuthor(author).setTime(time)
                .setSpec(doc.spec()).build();
    }

    /** The document tree of {@code event}, with generation, author and time in its metadata. */
    public static Map<String, Object> render(PolicyEvent event) {
        var extra = new LinkedHashMap<String, Object>();
        extra.put("generation", event.getGeneration());
        extra.put("author", event.getAuthor());
        extra.put("time", event.getTime().toString());
        return DocumentRenderer.document(document(event), extra);
    }
}
