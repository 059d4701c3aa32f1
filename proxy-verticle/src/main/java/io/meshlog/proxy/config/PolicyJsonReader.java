package io.meshlog.proxy.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * Turns a policy document (parsed YAML/JSON, field names as in the Avro schema, which follow
 * Istio's) into a {@link PolicyEvent}, walking the schema so every policy kind is covered. Long
 * fields accept durations such as {@code 10s} (stored as milliseconds). Unknown fields and wrong
 * types are errors naming their path.
 */
public final class PolicyJsonReader {
    static {
        MeshSerdes.policyEvent(); // installs Avro's class trust for io.meshlog.schemas.v1
    }

    private PolicyJsonReader() {}

    /** Reads one policy document found at {@code path} (e.g. {@code policies[2]}). */
    public static PolicyEvent read(JsonNode document, String path) {
        ConfigException.require(document != null && document.isObject(), path, "must be a mapping with kind, name and spec");
        var kindNode = document.get("kind");
        ConfigException.require(kindNode != null && kindNode.isTextual(), path + ".kind", "must be set");
        PolicyKind kind;
        try {
            kind = PolicyKind.valueOf(kindNode.asText());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + ".kind", "must be one of " + List.of(PolicyKind.values()) + ", but was " + kindNode.asText());
        }
        var event = new PolicyEvent();
        event.setKind(kind);
        event.setNamespace(text(document, "namespace", ProxyConfig.DEFAULT_NAMESPACE));
        var name = document.get("name");
        ConfigException.require(name != null && name.isTextual(), path + ".name", "must be set");
        event.setName(name.asText());
        event.setLabels(new HashMap<>());
        event.setGeneration(document.path("generation").asLong(1));
        event.setAuthor(text(document, "author", "bootstrap"));
        event.setTime(java.time.Instant.ofEpochMilli(document.path("time").asLong(0)));
        var spec = document.get("spec");
        ConfigException.require(spec != null && spec.isObject(), path + ".spec", "must be a mapping");
        var specSchema = PolicyEvent.getClassSchema().getField("spec").schema().getTypes().stream()
                .filter(s -> s.getName().equals(kind.name() + "Spec")).findFirst().orElseThrow();
        event.setSpec(convert(specSchema, spec, path + ".spec"));
        return event;
    }

    private static String text(JsonNode node, String field, String fallback) {
        var value = node.get(field);
        return value == null || value.isNull() ? fallback : value.asText();
    }

    private static Object convert(Schema schema, JsonNode node, String path) {
        return switch (schema.getType()) {
            case RECORD -> record(schema, node, path);
            case UNION -> union(schema, node, path);
            case ARRAY -> array(schema, node, path);
            case MAP -> map(schema, node, path);
            case ENUM -> enumValue(schema, node, path);
            case STRING -> scalar(node.isTextual() || node.isNumber() || node.isBoolean(), node, path, "a string").asText();
            case BOOLEAN -> scalar(node.isBoolean(), node, path, "true or false").asBoolean();
            case INT -> scalar(node.canConvertToInt() && node.isIntegralNumber(), node, path, "a whole number").asInt();
            case LONG -> node.isTextual() ? DurationParser.parse(node.asText(), path).toMillis()
                    : scalar(node.isIntegralNumber(), node, path, "a whole number or a duration").asLong();
            case DOUBLE, FLOAT -> scalar(node.isNumber(), node, path, "a number").asDouble();
            default -> throw new ConfigException(path, "unsupported schema type " + schema.getType());
        };
    }

    private static JsonNode scalar(boolean ok, JsonNode node, String path, String expected) {
        ConfigException.require(ok, path, "must be " + expected + ", but was " + node);
        return node;
    }

    private static Object record(Schema schema, JsonNode node, String path) {
        ConfigException.require(node.isObject(), path, "must be a mapping, but was " + node);
        var record = (IndexedRecord) SpecificData.get().newRecord(null, schema);
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            var name = names.next();
            ConfigException.require(schema.getField(name) != null, path + "." + name,
                    "is not a field of " + schema.getName() + "; expected one of "
                            + schema.getFields().stream().map(Schema.Field::name).toList());
        }
        for (var field : schema.getFields()) {
            var value = node.get(field.name());
            var fieldPath = path + "." + field.name();
            if (value == null) {
                ConfigException.require(field.hasDefaultValue(), fieldPath, "must be set");
                record.put(field.pos(), SpecificData.get().getDefaultValue(field));
            } else {
                record.put(field.pos(), convert(field.schema(), value, fieldPath));
            }
        }
        return record;
    }

    private static Object union(Schema schema, JsonNode node, String path) {
        if (node.isNull()) {
            ConfigException.require(schema.isNullable(), path, "must not be null");
            return null;
        }
        for (var branch : schema.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                return convert(branch, node, path);
            }
        }
        throw new ConfigException(path, "must be null");
    }

    private static List<Object> array(Schema schema, JsonNode node, String path) {
        ConfigException.require(node.isArray(), path, "must be a list, but was " + node);
        var items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            items.add(convert(schema.getElementType(), node.get(i), path + "[" + i + "]"));
        }
        return items;
    }

    private static Map<String, Object> map(Schema schema, JsonNode node, String path) {
        ConfigException.require(node.isObject(), path, "must be a mapping, but was " + node);
        var values = new HashMap<String, Object>();
        node.fields().forEachRemaining(e ->
                values.put(e.getKey(), convert(schema.getValueType(), e.getValue(), path + "." + e.getKey())));
        return values;
    }

    private static Object enumValue(Schema schema, JsonNode node, String path) {
        ConfigException.require(node.isTextual() && schema.hasEnumSymbol(node.asText()), path,
                "must be one of " + schema.getEnumSymbols() + ", but was " + node);
        return SpecificData.get().createEnum(node.asText(), schema);
    }
}
