package io.meshlog.console.api;

import io.meshlog.console.model.GraphBuilder;
import io.meshlog.console.model.MeshModel;
import io.meshlog.console.model.TimeWindow;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The encoded graph per (namespace, window), reused while the model's version stays the same and
 * for at most {@link #MAX_AGE_MILLIS}: a page refresh, several tabs or a poller then cost a map
 * look-up instead of a build under the model's lock. The age bound is for what changes with the
 * clock alone (a window going stale, an ejection running out), as the event stream coalesces
 * changes to one a second anyway. Bounded: namespaces come from the query string.
 */
final class GraphCache {
    static final long MAX_AGE_MILLIS = 1_000;
    static final int MAX_ENTRIES = 64;

    private record Key(String namespace, TimeWindow window) {}

    private record Entry(long version, long builtAtMillis, Buffer body) {}

    private final MeshModel model;
    private final Clock clock;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();

    GraphCache(MeshModel model, Clock clock) {
        this.model = model;
        this.clock = clock;
    }

    /** The graph's JSON, built now or a moment ago for the same model version. */
    Buffer graph(String namespace, TimeWindow window) {
        var key = new Key(namespace, window);
        long now = clock.millis();
        var cached = entries.get(key);
        if (cached != null && cached.version() == model.version() && now - cached.builtAtMillis() < MAX_AGE_MILLIS) {
            return cached.body();
        }
        // Read before building: the graph reflects at least this version, so reusing it is safe.
        long version = model.version();
        var body = GraphBuilder.build(model, namespace, window).toBuffer();
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, new Entry(version, now, body));
        return body;
    }
}
