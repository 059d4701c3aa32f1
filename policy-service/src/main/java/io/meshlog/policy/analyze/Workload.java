package io.meshlog.policy.analyze;

import java.util.Map;

/** A workload as analyze knows it: where it runs, as whom, its labels, whether it has a sidecar. */
public record Workload(String namespace, String name, String serviceAccount, Map<String, String> labels, boolean sidecar) {
    public Workload {
        labels = Map.copyOf(labels == null ? Map.of() : labels);
    }
}
