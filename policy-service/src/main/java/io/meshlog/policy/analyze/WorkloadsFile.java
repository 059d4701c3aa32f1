package io.meshlog.policy.analyze;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads known workloads: {@code workloads: [{namespace, name, serviceAccount, labels: {..}, sidecar: true}]}.
 */
public final class WorkloadsFile {
    private WorkloadsFile() {}

    /** @throws IllegalArgumentException naming the bad entry */
    public static List<Workload> parse(String text) {
        var root = new Load(LoadSettings.builder().setMaxAliasesForCollections(10).build()).loadFromString(text);
        if (!(root instanceof Map<?, ?> map) || !(map.get("workloads") instanceof List<?> list)) {
            throw new IllegalArgumentException("a workloads file must be a mapping with a 'workloads' list");
        }
        var out = new ArrayList<Workload>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> entry) || entry.get("name") == null) {
                throw new IllegalArgumentException("workloads[" + i + "] must be a mapping with at least a name");
            }
            var labels = new HashMap<String, String>();
            if (entry.get("labels") instanceof Map<?, ?> l) {
                l.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
            }
            var namespace = entry.get("namespace") == null ? "default" : String.valueOf(entry.get("namespace"));
            var name = String.valueOf(entry.get("name"));
            var account = entry.get("serviceAccount") == null ? name : String.valueOf(entry.get("serviceAccount"));
            out.add(new Workload(namespace, name, account, labels,
                    !Boolean.FALSE.equals(entry.get("sidecar"))));
        }
        return out;
    }
}
