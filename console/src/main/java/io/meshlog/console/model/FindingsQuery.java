package io.meshlog.console.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Every config finding for {@code GET /api/findings}, optionally of one namespace. */
public final class FindingsQuery {
    private FindingsQuery() {}

    public static JsonObject build(MeshModel model, String namespace) {
        return model.read(m -> {
            var out = new JsonArray();
            for (var f : m.findings) {
                if (namespace == null || namespace.equals(f.namespace())) {
                    out.add(new JsonObject().put("code", f.code()).put("severity", f.severity())
                            .put("policy", f.policyKey()).put("path", f.path()).put("message", f.message())
                            .put("hint", f.hint()));
                }
            }
            return new JsonObject().put("findings", out);
        });
    }
}
