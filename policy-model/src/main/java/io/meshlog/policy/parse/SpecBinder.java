package io.meshlog.policy.parse;

import io.meshlog.policy.model.Durations;
import io.meshlog.policy.model.IstioFields;
import io.meshlog.policy.model.SpecLayout;
import io.meshlog.policy.validate.Violation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Binds a YAML node tree to Avro specific records, driven by the Avro schema and {@link
 * SpecLayout}: strict about unknown fields and types, collecting every violation with its path
 * and line, and remembering the line of every path for later rules.
 */
final class SpecBinder {
    private static final Object INVALID = new Object();

    private final List<Violation> violations;
    private final Map<String, Integer> lines;

    SpecBinder(List<Violation> violations, Map<String, Integer> lines) {
        this.violations = violations;
        this.lines = lines;
    }

    /** The bound value, or null when it was invalid (a violation is then recorded). */
    Object bindRoot(Node node, Schema schema, String path) {
        var value = bind(node, schema, path);
        return value == INVALID ? null : value;
    }

    private Object bind(Node node, Schema schema, String path) {
        lines.putIfAbsent(path, Nodes.line(node));
        if (Nodes.isNull(node)) {
            if (SpecLayout.nullable(schema)) {
                return null;
            }
            return fail(path, node, "must not be null");
        }
        var type = SpecLayout.nonNull(schema);
        return switch (type.getType()) {
            case RECORD -> node instanceof MappingNode mapping ? record(mapping, type, path)
                    : wrongType(path, node, "a mapping");
            case ARRAY -> array(node, type, path);
            case MAP -> map(node, type, path);
            case STRING -> Nodes.isScalar(node, Tag.STR) ? Nodes.text(node) : wrongType(path, node, "a string");
            case ENUM -> enumSymbol(node, type, path);
            case INT -> integer(node, path, Integer.MIN_VALUE, Integer.MAX_VALUE, true);
            case LONG -> integer(node, path, Long.MIN_VALUE, Long.MAX_VALUE, false);
            case DOUBLE -> number(node, path);
            case BOOLEAN -> Nodes.isScalar(node, Tag.BOOL) ? Boolean.valueOf(Nodes.text(node).toLowerCase(java.util.Locale.ROOT))
                    : wrongType(path, node, "true or false");
            default -> fail(path, node, "has an unsupported type " + type.getType());
        };
    }

    private Object record(MappingNode mapping, Schema schema, String path) {
        var present = fields(mapping, schema, path);
        IstioAliases.resolve(schema, present, path, this);
        var record = (IndexedRecord) SpecificData.get().newRecord(null, schema);
        for (var field : schema.getFields()) {
            var located = present.get(field.name());
            Object value;
            if (located != null) {
                value = field(located, schema, field, child(path, field.name(), SpecLayout.group(schema, field)));
            } else if (field.hasDefaultValue()) {
                value = SpecificData.get().getDefaultValue(field);
            } else if (SpecLayout.nullable(field.schema())) {
                value = null;
            } else {
                value = fail(child(path, field.name(), SpecLayout.group(schema, field)), Nodes.line(mapping),
                        "is required");
            }
            if (value != INVALID) {
                record.put(field.pos(), value);
            }
        }
        return record;
    }

    /** The value node of each field, reading Istio's groups; unknown keys are violations. */
    private Map<String, Node> fields(MappingNode mapping, Schema schema, String path) {
        var known = new TreeSet<String>();
        var groups = new TreeSet<String>();
        for (var field : schema.getFields()) {
            var group = SpecLayout.group(schema, field);
            known.add(group == null ? field.name() : group);
            if (group != null) {
                groups.add(group);
            }
        }
        known.addAll(IstioAliases.aliases(schema));
        var present = new HashMap<String, Node>();
        for (var entry : entries(mapping, path, known, schema.getName()).entrySet()) {
            var key = entry.getKey();
            if (!groups.contains(key)) {
                present.put(key, entry.getValue());
                continue;
            }
            var groupPath = path + "." + key;
            if (!(entry.getValue() instanceof MappingNode groupNode)) {
                wrongType(groupPath, entry.getValue(), "a mapping");
                continue;
            }
            var inGroup = new TreeSet<String>();
            schema.getFields().stream().filter(f -> key.equals(SpecLayout.group(schema, f)))
                    .forEach(f -> inGroup.add(f.name()));
            if (schema.getField(key) != null) {
                splitFieldGroup(groupNode, key, inGroup, present);
                continue;
            }
            present.putAll(entries(groupNode, groupPath, inGroup, schema.getName() + "." + key));
        }
        return present;
    }

    /**
     * A group that is also a field ({@code loadBalancer}: {@code consistentHash} is a field of
     * its own, {@code simple} the wrapped field): the group's members are taken out, the rest
     * stays the field's value, which is left out when nothing remains.
     */
    private static void splitFieldGroup(MappingNode node, String key, Set<String> inGroup, Map<String, Node> present) {
        var rest = new ArrayList<org.snakeyaml.engine.v2.nodes.NodeTuple>();
        for (var tuple : node.getValue()) {
            var name = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : null;
            if (name != null && inGroup.contains(name) && !present.containsKey(name)) {
                present.put(name, tuple.getValueNode());
            } else {
                rest.add(tuple);
            }
        }
        if (!rest.isEmpty() || inGroup.stream().noneMatch(present::containsKey)) {
            present.put(key, new MappingNode(node.getTag(), true, rest, node.getFlowStyle(), node.getStartMark(), node.getEndMark()));
        }
    }

    /** The string-keyed entries of a mapping, each key checked against {@code known} (null: any). */
    Map<String, Node> entries(MappingNode mapping, String path, Set<String> known) {
        return entries(mapping, path, known, null);
    }

    /**
     * As {@link #entries(MappingNode, String, Set)}; a key outside {@code known} that Istio has in
     * {@code context} is warned about or refused as {@link IstioFields} says, and left out.
     */
    private Map<String, Node> entries(MappingNode mapping, String path, Set<String> known, String context) {
        var out = new LinkedHashMap<String, Node>();
        for (var tuple : mapping.getValue()) {
            var keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode) || Nodes.isNull(keyNode)) {
                fail(path, keyNode, "keys must be strings, but found " + Nodes.describe(keyNode));
                continue;
            }
            var key = Nodes.text(keyNode);
            var keyPath = path.isEmpty() ? key : path + "." + key;
            if (out.containsKey(key)) {
                fail(keyPath, keyNode, "duplicate field \"" + key + "\"");
            } else if (known != null && !known.contains(key)) {
                var istio = context == null ? null : IstioFields.find(context, key);
                if (istio == null) {
                    fail(keyPath, keyNode, "unknown field \"" + key + "\"" + suggestion(key, known));
                } else if (istio.treatment() == IstioFields.Treatment.WARNED) {
                    lines.putIfAbsent(keyPath, Nodes.line(keyNode));
                    violations.add(Violation.notEnforced(keyPath, Nodes.line(keyNode), istio.code(), istio.why()));
                } else {
                    fail(keyPath, keyNode, "is not supported by meshlog: " + istio.why());
                }
            } else {
                out.put(key, tuple.getValueNode());
            }
        }
        return out;
    }

    private Object field(Node node, Schema owner, Schema.Field field, String path) {
        lines.putIfAbsent(path, Nodes.line(node));
        if (Nodes.isNull(node) && SpecLayout.nullable(field.schema())) {
            return null;
        }
        var wrapper = SpecLayout.wrapper(owner, field);
        if (wrapper != null) {
            return wrapped(node, field.schema(), path, wrapper, owner.getName() + "." + field.name());
        }
        if (SpecLayout.duration(owner, field)) {
            return duration(node, path);
        }
        if (SpecLayout.commaList(owner, field) && Nodes.isScalar(node, Tag.STR)) {
            var items = new ArrayList<Object>();
            for (var item : Nodes.text(node).split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
            return items;
        }
        return bind(node, field.schema(), path);
    }

    private Object wrapped(Node node, Schema schema, String path, String wrapper, String context) {
        var type = SpecLayout.nonNull(schema);
        if (type.getType() == Schema.Type.ARRAY) {
            if (!(node instanceof SequenceNode sequence)) {
                return wrongType(path, node, "a list");
            }
            var items = new ArrayList<Object>();
            var list = sequence.getValue();
            for (int i = 0; i < list.size(); i++) {
                var itemPath = path + "[" + i + "]";
                items.add(unwrapAndBind(list.get(i), type.getElementType(), itemPath, wrapper, context));
            }
            return items.contains(INVALID) ? INVALID : items;
        }
        if (type.getType() == Schema.Type.MAP) {
            if (!(node instanceof MappingNode mapping)) {
                return wrongType(path, node, "a mapping");
            }
            var out = new HashMap<String, Object>();
            for (var entry : entries(mapping, path, null).entrySet()) {
                out.put(entry.getKey(), unwrapAndBind(entry.getValue(), type.getValueType(),
                        path + "." + entry.getKey(), wrapper, context));
            }
            return out.containsValue(INVALID) ? INVALID : out;
        }
        return unwrapAndBind(node, schema, path, wrapper, context);
    }

    private Object unwrapAndBind(Node node, Schema schema, String path, String wrapper, String context) {
        lines.putIfAbsent(path, Nodes.line(node));
        if (!(node instanceof MappingNode mapping)) {
            return wrongType(path, node, "a mapping with \"" + wrapper + "\"");
        }
        var inner = entries(mapping, path, Set.of(wrapper), context).get(wrapper);
        if (inner == null) {
            return fail(path + "." + wrapper, mapping, "is required");
        }
        return bind(inner, schema, path + "." + wrapper);
    }

    private Object duration(Node node, String path) {
        if (!Nodes.isScalar(node, Tag.STR)) {
            return wrongType(path, node, "a duration such as \"250ms\" or \"10s\"");
        }
        try {
            return Durations.parseMillis(Nodes.text(node));
        } catch (IllegalArgumentException e) {
            return fail(path, node, e.getMessage());
        }
    }

    private Object array(Node node, Schema type, String path) {
        if (!(node instanceof SequenceNode sequence)) {
            return wrongType(path, node, "a list");
        }
        var items = new ArrayList<Object>();
        var list = sequence.getValue();
        for (int i = 0; i < list.size(); i++) {
            items.add(bind(list.get(i), type.getElementType(), path + "[" + i + "]"));
        }
        return items.contains(INVALID) ? INVALID : items;
    }

    private Object map(Node node, Schema type, String path) {
        if (!(node instanceof MappingNode mapping)) {
            return wrongType(path, node, "a mapping");
        }
        var out = new HashMap<String, Object>();
        for (var entry : entries(mapping, path, null).entrySet()) {
            out.put(entry.getKey(), bind(entry.getValue(), type.getValueType(), path + "." + entry.getKey()));
        }
        return out.containsValue(INVALID) ? INVALID : out;
    }

    private Object enumSymbol(Node node, Schema type, String path) {
        var istio = Nodes.isScalar(node, Tag.STR) ? IstioFields.find(type.getName(), Nodes.text(node)) : null;
        if (istio != null && !type.getEnumSymbols().contains(Nodes.text(node))) {
            return fail(path, node, Nodes.text(node) + " is not supported by meshlog: " + istio.why());
        }
        if (!Nodes.isScalar(node, Tag.STR) || !type.getEnumSymbols().contains(Nodes.text(node))) {
            return fail(path, node, "must be one of " + String.join(", ", type.getEnumSymbols())
                    + ", but was " + Nodes.describe(node));
        }
        return SpecificData.get().createEnum(Nodes.text(node), type);
    }

    private Object integer(Node node, String path, long min, long max, boolean asInt) {
        if (!Nodes.isScalar(node, Tag.INT)) {
            return wrongType(path, node, "a whole number");
        }
        BigInteger value;
        try {
            var text = Nodes.text(node).replace("_", "");
            value = text.startsWith("0x") ? new BigInteger(text.substring(2), 16)
                    : text.startsWith("0o") ? new BigInteger(text.substring(2), 8) : new BigInteger(text);
        } catch (NumberFormatException e) {
            return wrongType(path, node, "a whole number");
        }
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            return fail(path, node, "is out of range: " + value);
        }
        return asInt ? (Object) value.intValue() : (Object) value.longValue();
    }

    private Object number(Node node, String path) {
        if (!Nodes.isScalar(node, Tag.INT) && !Nodes.isScalar(node, Tag.FLOAT)) {
            return wrongType(path, node, "a number");
        }
        try {
            var value = new BigDecimal(Nodes.text(node).replace("_", "")).doubleValue();
            if (Double.isInfinite(value)) {
                return fail(path, node, "is out of range");
            }
            return value;
        } catch (NumberFormatException e) {
            return fail(path, node, "must be a finite number, but was " + Nodes.text(node));
        }
    }

    /** Records a violation found by a helper (aliases). */
    void report(Violation violation) {
        lines.putIfAbsent(violation.path(), violation.line());
        violations.add(violation);
    }

    private Object wrongType(String path, Node node, String expected) {
        return fail(path, node, "must be " + expected + ", but was " + Nodes.describe(node));
    }

    private Object fail(String path, Node node, String message) {
        return fail(path, Nodes.line(node), message);
    }

    private Object fail(String path, int line, String message) {
        violations.add(Violation.error(path, line, message));
        return INVALID;
    }

    private static String child(String path, String name, String group) {
        return path + (group == null ? "" : "." + group) + "." + name;
    }

    private static String suggestion(String key, Collection<String> known) {
        String best = null;
        var bestDistance = 3;
        for (var candidate : known) {
            var distance = key.startsWith(candidate) || candidate.startsWith(key) ? 0 : Nodes.distance(key, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null ? " (did you mean \"" + best + "\"?)" : "; known fields: " + String.join(", ", known);
    }
}
