package io.meshlog.console.model;

/**
 * A service by namespace and name. Hosts resolve as Kubernetes DNS does: {@code orders} in the
 * namespace it is used from, {@code orders.shop} and {@code orders.shop.svc.cluster.local} in
 * {@code shop}.
 */
public record ServiceRef(String namespace, String name) implements Comparable<ServiceRef> {
    /** Where workloads and hosts whose namespace is not known yet are placed. */
    public static final String UNKNOWN_NAMESPACE = "default";

    /** {@code host} as seen from {@code fromNamespace} (null: unknown). */
    public static ServiceRef resolve(String host, String fromNamespace) {
        var parts = host.split("\\.");
        if (parts.length >= 2) {
            return new ServiceRef(parts[1], parts[0]);
        }
        return new ServiceRef(fromNamespace == null ? UNKNOWN_NAMESPACE : fromNamespace, host);
    }

    /** The graph node id. */
    public String id() {
        return "svc:" + namespace + "/" + name;
    }

    @Override
    public int compareTo(ServiceRef o) {
        int ns = namespace.compareTo(o.namespace);
        return ns != 0 ? ns : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
