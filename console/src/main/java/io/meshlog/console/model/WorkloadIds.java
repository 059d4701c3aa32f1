package io.meshlog.console.model;

import java.util.Objects;

/** Graph node ids of workloads: {@code wl:<namespace>/<name>}. */
final class WorkloadIds {
    private WorkloadIds() {}

    static String id(MeshModel model, String workload) {
        return "wl:" + Objects.requireNonNullElse(model.namespaceOf(workload), ServiceRef.UNKNOWN_NAMESPACE) + "/"
                + workload;
    }
}
