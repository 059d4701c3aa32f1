package io.meshlog.policy.parse;

import io.meshlog.policy.model.ApiVersions;
import io.meshlog.policy.model.PolicyDocument;
import io.meshlog.policy.model.PolicyKinds;
import io.meshlog.policy.validate.Violation;
import io.meshlog.schemas.v1.PolicyKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads policy documents (apiVersion, kind, metadata, spec) from YAML or JSON text into typed
 * {@link PolicyDocument}s, strictly: every violation with path and line. Istio's apiVersions are
 * read as well as meshlog's ({@link ApiVersions}); a document without {@code metadata.namespace}
 * is in the caller's default namespace ({@code default} unless told otherwise, as in Istio).
 */
public final class DocumentParser {
    private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata", "spec");
    private static final Set<String> METADATA_FIELDS =
            Set.of("name", "namespace", "labels", "generation", "author", "time");
    private static final Schema LABELS = Schema.createMap(Schema.create(Schema.Type.STRING));

    private final SafeYaml yaml;

    public DocumentParser(YamlLimits limits) {
        this.yaml = new SafeYaml(limits);
    }

    /**
     * Every document of {@code text}.
     *
     * @param defaultNamespace the namespace of documents that name none
     * @throws PolicyParseException when the text is not YAML/JSON within the limits
     */
    public List<ParsedDocument> parse(String text, String defaultNamespace) {
        var out = new ArrayList<ParsedDocument>();
        for (var node : yaml.parseAll(text)) {
            out.add(document(node, defaultNamespace, text));
        }
        return out;
    }

    /** The YAML nodes of every document of {@code text}, for readers that mix policies with other documents. */
    public List<Node> nodes(String text) {
        return yaml.parseAll(text);
    }

    /** Whether {@code root} looks like a policy document (a mapping with a kind). */
    public static boolean isPolicy(Node root) {
        return root instanceof MappingNode mapping && mapping.getValue().stream()
                .anyMatch(t -> Nodes.isScalar(t.getKeyNode(), Tag.STR) && "kind".equals(Nodes.text(t.getKeyNode())));
    }

    /**
     * One document of {@code text}, already composed.
     *
     * @param text the whole input {@code root} was read from (for the document's own source text)
     */
    public ParsedDocument document(Node root, String defaultNamespace, String text) {
        var source = source(text, root);
        var violations = new ArrayList<Violation>();
        var lines = new HashMap<String, Integer>();
        var binder = new SpecBinder(violations, lines);
        var line = Nodes.line(root);
        if (!(root instanceof MappingNode mapping)) {
            violations.add(Violation.error("", line, "a document must be a mapping with apiVersion, kind, "
                    + "metadata and spec, but was " + Nodes.describe(root)));
            return new ParsedDocument(null, violations, lines, line, "document at line " + line, source);
        }
        var fields = binder.entries(mapping, "", ROOT_FIELDS);
        var apiVersion = string(fields.get("apiVersion"), "apiVersion", line, violations);
        var kindText = string(fields.get("kind"), "kind", line, violations);
        var kind = kindText == null ? null : PolicyKinds.find(kindText);
        if (kindText != null && (kind == null || !kind.name().equals(kindText))) {
            violations.add(Violation.error("kind", Nodes.line(fields.get("kind")),
                    "must be one of " + PolicyKinds.names() + ", but was \"" + kindText + "\""));
            kind = null;
        }
        if (apiVersion != null && kind != null && !ApiVersions.accepts(kind, apiVersion)) {
            violations.add(Violation.error("apiVersion", Nodes.line(fields.get("apiVersion")),
                    "must be one of " + String.join(", ", ApiVersions.accepted(kind)) + " for a " + kind.name()
                            + ", but was \"" + apiVersion + "\""));
        }
        var metadata = metadata(fields.get("metadata"), binder, line, violations, lines, defaultNamespace);
        var label = (kindText == null ? "document" : kindText) + " " + metadata.namespace + "/"
                + (metadata.name == null ? "?" : metadata.name) + " (line " + line + ")";
        var specNode = fields.get("spec");
        SpecificRecord spec = null;
        if (specNode == null) {
            violations.add(Violation.error("spec", line, "is required"));
        } else if (kind != null) {
            spec = (SpecificRecord) binder.bindRoot(specNode, PolicyKinds.specSchema(kind), "spec");
        }
        if (violations.stream().anyMatch(Violation::isError) || kind == null || spec == null || metadata.name == null) {
            return new ParsedDocument(null, violations, lines, line, label, source);
        }
        var document = new PolicyDocument(kind, metadata.namespace, metadata.name, metadata.labels, spec,
                metadata.generation);
        return new ParsedDocument(document, violations, lines, line, label, source);
    }

    private Metadata metadata(Node node, SpecBinder binder, int line, List<Violation> violations,
            Map<String, Integer> lines, String defaultNamespace) {
        var result = new Metadata();
        result.namespace = defaultNamespace;
        if (node == null) {
            violations.add(Violation.error("metadata", line, "is required"));
            return result;
        }
        if (!(node instanceof MappingNode mapping)) {
            violations.add(Violation.error("metadata", Nodes.line(node), "must be a mapping, but was "
                    + Nodes.describe(node)));
            return result;
        }
        lines.put("metadata", Nodes.line(node));
        var fields = binder.entries(mapping, "metadata", METADATA_FIELDS);
        result.name = string(fields.get("name"), "metadata.name", Nodes.line(node), violations);
        lines.put("metadata.name", fields.containsKey("name") ? Nodes.line(fields.get("name")) : Nodes.line(node));
        if (fields.containsKey("namespace")) {
            result.namespace = string(fields.get("namespace"), "metadata.namespace", line, violations);
            lines.put("metadata.namespace", Nodes.line(fields.get("namespace")));
        }
        if (fields.containsKey("labels")) {
            @SuppressWarnings("unchecked")
            var labels = (Map<String, String>) binder.bindRoot(fields.get("labels"), LABELS, "metadata.labels");
            result.labels = labels;
        }
        var generation = fields.get("generation");
        if (generation != null && !Nodes.isNull(generation)) {
            if (!Nodes.isScalar(generation, Tag.INT)) {
                violations.add(Violation.error("metadata.generation", Nodes.line(generation),
                        "must be a whole number, but was " + Nodes.describe(generation)));
            } else {
                try {
                    result.generation = Long.parseLong(Nodes.text(generation));
                } catch (NumberFormatException e) {
                    violations.add(Violation.error("metadata.generation", Nodes.line(generation),
                            "is out of range: " + Nodes.text(generation)));
                }
            }
        }
        return result;
    }

    private static String string(Node node, String path, int line, List<Violation> violations) {
        if (node == null) {
            violations.add(Violation.error(path, line, "is required"));
            return null;
        }
        if (!Nodes.isScalar(node, Tag.STR)) {
            violations.add(Violation.error(path, Nodes.line(node), "must be a string, but was "
                    + Nodes.describe(node)));
            return null;
        }
        return Nodes.text(node);
    }

    private static String source(String text, Node node) {
        var start = node.getStartMark();
        var end = node.getEndMark();
        if (start.isEmpty() || end.isEmpty()) {
            return text;
        }
        return " ".repeat(start.get().getColumn()) + text.substring(start.get().getIndex(), end.get().getIndex()) + "\n";
    }

    /** Metadata read so far (mutable only while reading one document). */
    private static final class Metadata {
        private String name;
        private String namespace;
        private Map<String, String> labels = Map.of();
        private Long generation;
    }

    /** Kinds in apply order: DestinationRules before the VirtualServices routing to their subsets. */
    public static int applyOrder(PolicyKind kind) {
        return switch (kind) {
            case DestinationRule -> 0;
            case VirtualService -> 1;
            default -> 2;
        };
    }
}
