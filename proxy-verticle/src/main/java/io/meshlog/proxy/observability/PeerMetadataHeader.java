package io.meshlog.proxy.observability;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * meshlog's metadata exchange, the counterpart of Istio's {@code x-envoy-peer-metadata}: the
 * outbound sidecar sends its workload's {@link WorkloadMetadata} in {@value #HEADER}, the inbound
 * sidecar reads it (for the {@code source_*} labels) and removes it before the app sees the request.
 *
 * <p>Format: {@code workload=orders-v1;namespace=shop;app=orders;version=v1;canonical_service=orders;
 * canonical_revision=v1;cluster=Kubernetes}. Every value must look like a Kubernetes label value
 * (at most 63 characters of letters, digits, {@code -_.}), and at most {@value #MAX_DISTINCT}
 * distinct peers are accepted per proxy: a caller cannot grow the metrics' label sets without
 * bound. Whatever fails these checks is treated as no metadata ({@code unknown}).
 */
public final class PeerMetadataHeader {
    /** The request header carrying the calling workload's metadata. */
    public static final String HEADER = "x-meshlog-peer-metadata";
    /** Distinct peers remembered; more are reported as unknown. */
    static final int MAX_DISTINCT = 512;
    private static final int MAX_LENGTH = 512;
    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    private final Map<String, WorkloadMetadata> accepted = new ConcurrentHashMap<>();

    /** The header value announcing {@code self}. */
    public static String encode(WorkloadMetadata self) {
        return "workload=" + self.workload() + ";namespace=" + self.namespace() + ";app=" + self.app()
                + ";version=" + self.version() + ";canonical_service=" + self.canonicalService()
                + ";canonical_revision=" + self.canonicalRevision() + ";cluster=" + self.cluster();
    }

    /** The peer a header value announces, or null when it is missing, malformed or one peer too many. */
    public WorkloadMetadata decode(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return null;
        }
        var known = accepted.get(value);
        if (known != null || accepted.size() >= MAX_DISTINCT) {
            return known;
        }
        var parsed = parse(value);
        if (parsed != null) {
            accepted.putIfAbsent(value, parsed);
        }
        return parsed;
    }

    private static WorkloadMetadata parse(String value) {
        var fields = new java.util.HashMap<String, String>();
        for (var pair : value.split(";")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || !LABEL_VALUE.matcher(pair.substring(eq + 1)).matches()) {
                return null;
            }
            fields.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        var workload = fields.get("workload");
        var namespace = fields.get("namespace");
        if (workload == null || namespace == null) {
            return null;
        }
        var unknown = WorkloadMetadata.UNKNOWN;
        return new WorkloadMetadata(workload, namespace, fields.getOrDefault("app", unknown),
                fields.getOrDefault("version", unknown), fields.getOrDefault("canonical_service", workload),
                fields.getOrDefault("canonical_revision", "latest"),
                fields.getOrDefault("cluster", WorkloadMetadata.DEFAULT_CLUSTER));
    }
}
