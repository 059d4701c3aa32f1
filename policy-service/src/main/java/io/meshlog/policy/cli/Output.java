package io.meshlog.policy.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/** YAML and JSON output of API answers. */
final class Output {
    /** The output formats of {@code -o}. */
    enum Format { table, yaml, json }

    private Output() {}

    static void json(PrintWriter out, Object value) {
        out.println(value instanceof JsonObject o ? o.encodePrettily() : ((JsonArray) value).encodePrettily());
        out.flush();
    }

    /** Documents as a multi-document YAML stream. */
    static void yaml(PrintWriter out, List<JsonObject> documents) {
        var dump = new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build());
        for (int i = 0; i < documents.size(); i++) {
            if (i > 0) {
                out.println("---");
            }
            out.print(dump.dumpToString(plain(documents.get(i))));
        }
        out.flush();
    }

    static Object plain(Object value) {
        if (value instanceof JsonObject object) {
            return plain(object.getMap());
        }
        if (value instanceof JsonArray array) {
            return plain(array.getList());
        }
        if (value instanceof Map<?, ?> map) {
            var out = new LinkedHashMap<String, Object>();
            map.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            var out = new ArrayList<Object>();
            list.forEach(v -> out.add(plain(v)));
            return out;
        }
        return value;
    }

    static List<JsonObject> items(JsonObject list) {
        var items = list.getJsonArray("items", new JsonArray());
        var out = new ArrayList<JsonObject>();
        for (int i = 0; i < items.size(); i++) {
            out.add(items.getJsonObject(i));
        }
        return out;
    }
}
