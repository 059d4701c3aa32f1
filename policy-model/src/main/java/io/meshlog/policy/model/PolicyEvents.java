package io.meshlog.policy.model;

import io.meshlog.schemas.v1.PolicyEvent;
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

    /** The document tree of {@code event}, with generation, author and time in its metadata. */
    public static Map<String, Object> render(PolicyEvent event) {
        var extra = new LinkedHashMap<String, Object>();
        extra.put("generation", event.getGeneration());
        extra.put("author", event.getAuthor());
        extra.put("time", event.getTime().toString());
        return DocumentRenderer.document(document(event), extra);
    }
}
