package io.meshlog.proxy.route;

import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;

/**
 * Istio's HeaderOperations on one message: remove, then set (replace), then add (append), the
 * order Envoy evaluates them in.
 *
 * @param set header to the value that replaces every value it had
 * @param add header to a value appended to those it has
 * @param remove headers removed
 */
public record HeaderOps(Map<String, String> set, Map<String, String> add, List<String> remove) {
    public static final HeaderOps NONE = new HeaderOps(Map.of(), Map.of(), List.of());

    public HeaderOps {
        set = Map.copyOf(set);
        add = Map.copyOf(add);
        remove = List.copyOf(remove);
    }

    public boolean isEmpty() {
        return set.isEmpty() && add.isEmpty() && remove.isEmpty();
    }

    /** Applies the operations to {@code headers}. */
    public void apply(MultiMap headers) {
        if (isEmpty()) {
            return;
        }
        for (int i = 0; i < remove.size(); i++) {
            headers.remove(remove.get(i));
        }
        set.forEach(headers::set);
        add.forEach(headers::add);
    }

    /** These operations with one more header appended (a generated cookie). */
    public HeaderOps plusAdd(String name, String value) {
        var more = new java.util.HashMap<>(add);
        more.merge(name, value, (a, b) -> a); // a route's own add of the same name keeps its value
        return new HeaderOps(set, more, remove);
    }
}
