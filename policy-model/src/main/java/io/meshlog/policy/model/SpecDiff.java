package io.meshlog.policy.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/** What changed between two versions of a document tree, leaf by leaf. */
public final class SpecDiff {
    /** One changed leaf; {@code from} or {@code to} is null when the leaf was added or removed. */
    public record Change(String path, Object from, Object to) {}

    private SpecDiff() {}

    /** The changed leaves from {@code before} (null: nothing) to {@code after} (null: nothing). */
    public static List<Change> between(Map<String, Object> before, Map<String, Object> after) {
        var a = flatten(before);
        var b = flatten(after);
        var paths = new TreeSet<String>();
        paths.addAll(a.keySet());
        paths.addAll(b.keySet());
        var changes = new ArrayList<Change>();
        for (var path : paths) {
            if (!Objects.equals(a.get(path), b.get(path))) {
                changes.add(new Change(path, a.get(path), b.get(path)));
            }
        }
        return changes;
    }

    private static Map<String, Object> flatten(Map<String, Object> tree) {
        var out = new TreeMap<String, Object>();
        if (tree != null) {
            flatten("", tree, out);
        }
        return out;
    }

    private static void flatten(String path, Object value, Map<String, Object> out) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(path.isEmpty() ? String.valueOf(k) : path + "." + k, v, out));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                flatten(path + "[" + i + "]", list.get(i), out);
            }
        } else {
            out.put(path, value);
        }
    }
}
