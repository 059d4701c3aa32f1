package io.meshlog.policy.model;

import io.meshlog.schemas.v1.CanarySpec;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.RetryBudgetSpec;
import io.meshlog.schemas.v1.ServiceLevelObjectiveSpec;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The services a proxy may call, from the {@code egress.hosts} of the Istio {@code Sidecar} that
 * applies to it, with Istio's meaning: each entry is {@code namespace/host}, where namespace is a
 * name, {@code .} (the Sidecar's own namespace) or {@code *} (any), and host is a service name,
 * {@code *} (any) or {@code *.suffix}. {@link #UNSCOPED} allows everything (no Sidecar applies).
 *
 * <p>The proxy keeps only the policies and endpoints this scope allows; the policy-service uses the
 * same class to tell whether a proxy is expected to hold a policy ({@code apply --wait}).
 */
public final class SidecarScope {
    /** No Sidecar applies: every service of the mesh is in scope (meshlog's default, as Istio's). */
    public static final SidecarScope UNSCOPED = new SidecarScope(List.of(), true);

    private final List<Host> hosts;
    private final boolean unscoped;

    private SidecarScope(List<Host> hosts, boolean unscoped) {
        this.hosts = List.copyOf(hosts);
        this.unscoped = unscoped;
    }

    /**
     * The scope of egress hosts written in a Sidecar of {@code sidecarNamespace}; an entry without
     * {@code /} is refused by validation and ignored here.
     */
    public static SidecarScope of(String sidecarNamespace, List<String> egressHosts) {
        var parsed = new ArrayList<Host>();
        for (var entry : egressHosts) {
            int slash = entry.indexOf('/');
            if (slash <= 0 || slash == entry.length() - 1) {
                continue;
            }
            var namespace = entry.substring(0, slash);
            parsed.add(new Host(".".equals(namespace) ? sidecarNamespace : namespace, entry.substring(slash + 1)));
        }
        boolean everything = parsed.stream().anyMatch(h -> h.namespace().equals("*") && h.host().equals("*"));
        return everything ? UNSCOPED : new SidecarScope(parsed, false);
    }

    /** The problem of one {@code egress.hosts} entry as Istio checks it, or null when it is fine. */
    public static String hostProblem(String entry) {
        int slash = entry.indexOf('/');
        if (slash <= 0 || slash == entry.length() - 1 || entry.indexOf('/', slash + 1) >= 0) {
            return "must be namespace/host (e.g. ./*, istio-system/*, shop/reviews), but was '" + entry + "'";
        }
        var host = entry.substring(slash + 1);
        if (host.indexOf('*') > 0 || (host.startsWith("*") && !host.equals("*") && !host.startsWith("*."))) {
            return "host '" + host + "' may only be '*', '*.suffix' or a service name";
        }
        return null;
    }

    /** Whether no Sidecar narrows this proxy's view. */
    public boolean unscoped() {
        return unscoped;
    }

    /** The entries as {@code namespace/host}, with {@code .} resolved; empty when unscoped. */
    public List<String> entries() {
        return hosts.stream().map(h -> h.namespace() + "/" + h.host()).toList();
    }

    /**
     * Whether the service or policy host {@code host} of {@code namespace} is in scope; an empty
     * namespace (a registration that does not say) matches only entries for any namespace.
     */
    public boolean allows(String namespace, String host) {
        if (unscoped) {
            return true;
        }
        for (var entry : hosts) {
            if (entry.matches(namespace, host)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a policy with these hosts, declared in {@code namespace}, is in scope (any host is). */
    public boolean allowsAny(String namespace, List<String> policyHosts) {
        return policyHosts.stream().anyMatch(h -> MeshScope.isMeshWideHost(h) || allows(namespace, h));
    }

    /**
     * Whether a proxy of {@code workloadNamespace} under this scope holds {@code event}: the
     * VirtualServices, DestinationRules and RetryBudgets of in-scope hosts (a mesh-wide host always),
     * the SLOs and Canaries of in-scope services, and the workload-side kinds (AuthorizationPolicy,
     * PeerAuthentication, RateLimitPolicy, Telemetry, Sidecar) of its own and the root namespace, the
     * only ones that can apply to it. Unscoped: everything.
     */
    public boolean holds(PolicyEvent event, String workloadNamespace, String rootNamespace) {
        if (unscoped) {
            return true;
        }
        var ns = event.getNamespace();
        var spec = event.getSpec();
        if (spec instanceof VirtualServiceSpec vs) {
            return allowsAny(ns, vs.getHosts());
        } else if (spec instanceof DestinationRuleSpec dr) {
            return allowsAny(ns, List.of(dr.getHost()));
        } else if (spec instanceof RetryBudgetSpec rb) {
            return allowsAny(ns, List.of(rb.getHost()));
        } else if (spec instanceof ServiceLevelObjectiveSpec slo) {
            return allowsAny(ns, List.of(slo.getService()));
        } else if (spec instanceof CanarySpec canary) {
            return allowsAny(ns, List.of(canary.getTargetRef().getName()));
        }
        return ns.equals(workloadNamespace) || ns.equals(rootNamespace);
    }

    /**
     * The scope of a workload from the Sidecars it can see, as Istio picks it: one in the
     * workload's namespace whose selector matches its labels, else the selector-less one of that
     * namespace, else the selector-less one of the root namespace; the first by key order when
     * several qualify. No Sidecar: {@link #UNSCOPED}.
     *
     * @param sidecars the Sidecars by {@code Sidecar/namespace/name} key, in key order
     */
    public static SidecarScope select(List<Declared> sidecars, String namespace, Map<String, String> labels,
            String rootNamespace) {
        Declared withSelector = null;
        Declared namespaceWide = null;
        Declared rootWide = null;
        for (var sidecar : sidecars) {
            if (sidecar.namespace().equals(namespace)) {
                if (sidecar.selector() == null) {
                    namespaceWide = namespaceWide == null ? sidecar : namespaceWide;
                } else if (withSelector == null && labels.entrySet().containsAll(sidecar.selector().entrySet())) {
                    withSelector = sidecar;
                }
            } else if (sidecar.namespace().equals(rootNamespace) && sidecar.selector() == null) {
                rootWide = rootWide == null ? sidecar : rootWide;
            }
        }
        var chosen = withSelector != null ? withSelector : namespaceWide != null ? namespaceWide : rootWide;
        // A root-namespace Sidecar's "." means the workload's own namespace (Istio's namespace isolation).
        return chosen == null ? UNSCOPED
                : of(chosen == rootWide ? namespace : chosen.namespace(), chosen.egressHosts());
    }

    /**
     * One Sidecar as read from the policy log.
     *
     * @param namespace where it is declared
     * @param selector its workloadSelector labels, or null for every workload of the namespace
     * @param egressHosts all {@code egress[].hosts} entries
     */
    public record Declared(String namespace, Map<String, String> selector, List<String> egressHosts) {
        public Declared {
            selector = selector == null || selector.isEmpty() ? null : Map.copyOf(selector);
            egressHosts = List.copyOf(egressHosts);
        }
    }

    private record Host(String namespace, String host) {
        boolean matches(String serviceNamespace, String serviceHost) {
            return (namespace.equals("*") || namespace.equals(serviceNamespace)) && hostMatches(host, serviceHost);
        }

        static boolean hostMatches(String pattern, String host) {
            if (pattern.equals("*")) {
                return true;
            }
            return pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) : pattern.equals(host);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SidecarScope s && s.unscoped == unscoped && s.hosts.equals(hosts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hosts, unscoped);
    }

    @Override
    public String toString() {
        return unscoped ? "*/*" : String.join(",", entries());
    }
}
