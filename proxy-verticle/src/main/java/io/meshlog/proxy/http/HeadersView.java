package io.meshlog.proxy.http;

import io.vertx.core.MultiMap;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/** A read-only {@code Map} view of request headers for the tracer, without copying them. */
public final class HeadersView extends AbstractMap<String, String> {
    private final MultiMap headers;

    public HeadersView(MultiMap headers) {
        this.headers = headers;
    }

    @Override
    public String get(Object key) {
        return key instanceof String name ? headers.get(name) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String name && headers.contains(name);
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
        var copy = new java.util.LinkedHashMap<String, String>();
        for (var header : headers) {
            copy.putIfAbsent(header.getKey().toLowerCase(java.util.Locale.ROOT), header.getValue());
        }
        return copy.entrySet();
    }
}
