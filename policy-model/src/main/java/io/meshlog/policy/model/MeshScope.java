package io.meshlog.policy.model;

import java.util.Set;

/**
 * Which DestinationRule applies to a service, as Istio decides it: a rule naming the service's host
 * wins whole; otherwise the mesh-wide rule, one in the mesh root namespace whose host is a wildcard
 * covering every service ({@code *}, {@code *.local}, {@code *.cluster.local} or
 * {@code *.svc.cluster.local}); otherwise none. The proxy and the pipeline both decide with this class.
 */
public final class MeshScope {
    /** Istio's root namespace is {@code istio-system}; meshlog's, unless configured otherwise. */
    public static final String DEFAULT_ROOT_NAMESPACE = "meshlog-system";

    private static final Set<String> MESH_WIDE_HOSTS = Set.of("*", "*.local", "*.cluster.local", "*.svc.cluster.local");

    private MeshScope() {}

    /** Whether {@code host} covers every mesh service (every meshlog service is {@code name.namespace.svc.cluster.local}). */
    public static boolean isMeshWideHost(String host) {
        return MESH_WIDE_HOSTS.contains(host);
    }

    /** Whether {@code host} is a wildcard at all (mesh-wide or narrower). */
    public static boolean isWildcard(String host) {
        return host.contains("*");
    }

    /**
     * Why a DestinationRule with {@code host} in {@code namespace} cannot be applied, or null when
     * it can (an exact host anywhere, a mesh-wide host in the root namespace).
     */
    public static String wildcardProblem(String host, String namespace, String rootNamespace) {
        if (!isWildcard(host)) {
            return null;
        }
        if (!isMeshWideHost(host)) {
            return "wildcard host '" + host + "' is not supported: use a service name, or a mesh-wide rule "
                    + "(host *.local) in the root namespace '" + rootNamespace + "'";
        }
        if (!namespace.equals(rootNamespace)) {
            return "a mesh-wide host ('" + host + "') applies only from the mesh root namespace '" + rootNamespace
                    + "', but the rule is in '" + namespace + "'";
        }
        return null;
    }
}
