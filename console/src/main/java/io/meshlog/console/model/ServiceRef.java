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
        int dot = host.indexOf('.');
        if (dot > 0) {
            int next = host.indexOf('.', dot + 1);
            return new ServiceRef(host.substring(dot + 1, next < 0 ? host.length() : next), host.substring(0, dot));
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
