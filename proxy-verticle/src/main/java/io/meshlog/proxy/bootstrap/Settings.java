package io.meshlog.proxy.bootstrap;

import io.meshlog.proxy.config.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One value of a settings document read as plain YAML values, with the path it was found at, so
 * every error names it ({@code listeners.inbound.port: must be a number}).
 *
 * @param value a {@code Map}, {@code List}, {@code String}, {@code Long}, {@code Double}, {@code Boolean}, or null when absent
 * @param path where the value is, e.g. {@code services[0].endpoints[1]}
 */
record Settings(Object value, String path) {
    boolean absent() {
        return value == null;
    }

    boolean isMap() {
        return value instanceof Map<?, ?>;
    }

    /** The value at key {@code name} (absent when this is not a mapping or has no such key). */
    Settings get(String name) {
        var child = value instanceof Map<?, ?> map ? map.get(name) : null;
        return new Settings(child, path.isEmpty() ? name : path + "." + name);
    }

    /** The text of a scalar, or {@code fallback} when absent. */
    String text(String fallback) {
        if (value == null) {
            return fallback;
        }
        ConfigException.require(!(value instanceof Map<?, ?>) && !(value instanceof List<?>), path,
                "must be a single value, but was " + value);
        return String.valueOf(value);
    }

    /** A whole number, or {@code fallback} when absent. */
    long number(long fallback) {
        if (value == null) {
            return fallback;
        }
        ConfigException.require(value instanceof Long, path, "must be a whole number, but was " + value);
        return (Long) value;
    }

    /** A number, or {@code fallback} when absent. */
    double decimal(double fallback) {
        if (value == null) {
            return fallback;
        }
        ConfigException.require(value instanceof Number, path, "must be a number, but was " + value);
        return ((Number) value).doubleValue();
    }

    boolean flag(boolean fallback) {
        if (value == null) {
            return fallback;
        }
        ConfigException.require(value instanceof Boolean, path, "must be true or false, but was " + value);
        return (Boolean) value;
    }

    /** The items of a list (none when absent). */
    List<Settings> items() {
        if (value == null) {
            return List.of();
        }
        ConfigException.require(value instanceof List<?>, path, "must be a list, but was " + value);
        var out = new ArrayList<Settings>();
        var list = (List<?>) value;
        for (int i = 0; i < list.size(); i++) {
            out.add(new Settings(list.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    /** A mapping of strings (empty when absent). */
    Map<String, String> strings() {
        if (value == null) {
            return Map.of();
        }
        ConfigException.require(value instanceof Map<?, ?>, path, "must be a mapping of strings, but was " + value);
        var out = new LinkedHashMap<String, String>();
        ((Map<?, ?>) value).forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }
}
