package io.meshlog.policy.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

/**
 * Turns a typed spec back into the document tree a user writes (maps, lists, strings, numbers),
 * the inverse of the parser: Istio's layout, durations as text, nulls/empties/default false left out.
 */
public final class DocumentRenderer {
    private DocumentRenderer() {}

    /** The whole document: apiVersion, kind, metadata (with {@code extraMetadata}), spec. */
    public static Map<String, Object> document(PolicyDocument doc, Map<String, Object> extraMetadata) {
        var metadata = new LinkedHashMap<String, Object>();
        metadata.put("name", doc.name());
        metadata.put("namespace", doc.namespace());
        if (!doc.labels().isEmpty()) {
            metadata.put("labels", doc.sortedLabels());
        }
        metadata.putAll(extraMetadata);
        var root = new LinkedHashMap<String, Object>();
        root.put("apiVersion", ApiVersions.CANONICAL);
        root.put("kind", doc.kind().name());
        root.put("metadata", metadata);
        root.put("spec", spec((IndexedRecord) doc.spec()));
        return root;
    }

    /** The spec alone. */
    public static Map<String, Object> spec(IndexedRecord spec) {
        return record(spec);
    }

    private static Map<String, Object> record(IndexedRecord record) {
        var schema = record.getSchema();
        var out = new LinkedHashMap<String, Object>();
        for (var field : schema.getFields()) {
            var raw = record.get(field.pos());
            // false is left out where it is the default; a nullable flag's false (Telemetry's disabled) is not
            var value = Boolean.FALSE.equals(raw) && SpecLayout.nullable(field.schema()) ? Boolean.FALSE
                    : value(raw, SpecLayout.nonNull(field.schema()), schema, field);
            if (value == null) {
                continue;
            }
            var wrapper = SpecLayout.wrapper(schema, field);
            if (wrapper != null) {
                value = wrap(value, wrapper);
            }
            var group = SpecLayout.group(schema, field);
            if (group == null) {
                out.put(field.name(), value);
            } else {
                @SuppressWarnings("unchecked")
                var sub = (Map<String, Object>) out.computeIfAbsent(group, g -> new LinkedHashMap<String, Object>());
                sub.put(field.name(), value);
            }
        }
        return out;
    }

    private static Object wrap(Object value, String wrapper) {
        if (value instanceof List<?> list) {
            var items = new ArrayList<Object>();
            list.forEach(item -> items.add(Map.of(wrapper, item)));
            return items;
        }
        if (value instanceof Map<?, ?> map) {
            var wrapped = new TreeMap<String, Object>();
            map.forEach((k, v) -> wrapped.put(String.valueOf(k), Map.of(wrapper, v)));
            return wrapped;
        }
        return Map.of(wrapper, value);
    }

    private static Object value(Object value, Schema schema, Schema owner, Schema.Field field) {
        if (value == null) {
            return null;
        }
        if (value instanceof IndexedRecord record) {
            return record(record);
        }
        if (value instanceof Collection<?> list) {
            if (list.isEmpty()) {
                return null;
            }
            var items = new ArrayList<Object>();
            for (var item : list) {
                items.add(value(item, SpecLayout.nonNull(schema.getElementType()), owner, field));
            }
            return field != null && SpecLayout.commaList(owner, field) ? String.join(",", strings(items)) : items;
        }
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                return null;
            }
            var out = new TreeMap<String, Object>();
            map.forEach((k, v) -> out.put(String.valueOf(k), value(v, SpecLayout.nonNull(schema.getValueType()), owner, null)));
            return out;
        }
        if (value instanceof Boolean b) {
            return b ? Boolean.TRUE : null;
        }
        if (value instanceof Long millis && field != null && SpecLayout.duration(owner, field)) {
            return Durations.format(millis);
        }
        if (value instanceof Enum<?> || value instanceof GenericEnumSymbol<?> || value instanceof CharSequence) {
            return value.toString();
        }
        return value;
    }

    private static List<String> strings(List<Object> items) {
        return items.stream().map(String::valueOf).toList();
    }
}
