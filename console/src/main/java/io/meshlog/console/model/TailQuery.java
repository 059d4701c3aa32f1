package io.meshlog.console.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The live tail for {@code GET /api/services/{ns}/{name}/tail}: the newest matching requests. */
public final class TailQuery {
    /** The most a page may ask for at once. */
    public static final int MAX_LIMIT = MeshModel.TAIL_CAPACITY;

    private TailQuery() {}

    public static JsonObject build(MeshModel model, ServiceRef service, TailFilter filter, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", but was " + limit);
        }
        return model.read(m -> {
            var buffer = m.tails.get(service.name());
            var out = new JsonArray();
            if (buffer != null) {
                buffer.newest(filter, limit).forEach(e -> out.add(e.toJson()));
            }
            return new JsonObject().put("service", service.toString()).put("requests", out);
        });
    }
}
