package io.meshlog.proxy.observability;

import java.util.Map;

/**
 * What Istio's metric labels say about one workload, derived from its labels as Istio derives them:
 * {@code app} and {@code version} from the labels of those names; the canonical service from
 * {@code service.istio.io/canonical-name}, else {@code app.kubernetes.io/name}, else {@code app},
 * else the workload name; the canonical revision from {@code service.istio.io/canonical-revision},
 * else {@code app.kubernetes.io/version}, else {@code version}, else {@code latest}; the cluster from
 * {@code topology.istio.io/cluster}, else Istio's default cluster id {@code Kubernetes}.
 *
 * @param workload the workload name ({@code source_workload} / {@code destination_workload})
 * @param namespace its namespace
 * @param app the {@code app} label, or {@code unknown}
 * @param version the {@code version} label, or {@code unknown}
 * @param canonicalService the canonical service
 * @param canonicalRevision the canonical revision
 * @param cluster the cluster id
 */
public record WorkloadMetadata(String workload, String namespace, String app, String version, String canonicalService,
        String canonicalRevision, String cluster) {
    /** Istio's label value for what is not known. */
    public static final String UNKNOWN = "unknown";
    /** Istio's default cluster id. */
    public static final String DEFAULT_CLUSTER = "Kubernetes";
    /** Nothing known, as Istio labels a peer without metadata. */
    public static final WorkloadMetadata UNKNOWN_WORKLOAD =
            new WorkloadMetadata(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN);

    /** The metadata of workload {@code workload} in {@code namespace} with {@code labels}. */
    public static WorkloadMetadata of(String workload, String namespace, Map<String, String> labels) {
        var app = labels.getOrDefault("app", UNKNOWN);
        var version = labels.getOrDefault("version", UNKNOWN);
        var canonicalService = first(labels, workload, "service.istio.io/canonical-name", "app.kubernetes.io/name", "app");
        var canonicalRevision = first(labels, "latest", "service.istio.io/canonical-revision", "app.kubernetes.io/version",
                "version");
        return new WorkloadMetadata(workload, namespace, app, version, canonicalService, canonicalRevision,
                labels.getOrDefault("topology.istio.io/cluster", DEFAULT_CLUSTER));
    }

    private static String first(Map<String, String> labels, String fallback, String... keys) {
        for (var key : keys) {
            var value = labels.get(key);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return fallback;
    }
}
