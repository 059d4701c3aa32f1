package io.meshlog.proxy.policy;

import io.meshlog.policy.model.SidecarScope;
import io.meshlog.schemas.v1.CanarySpec;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.RetryBudgetSpec;
import io.meshlog.schemas.v1.ServiceLevelObjectiveSpec;
import io.meshlog.schemas.v1.SidecarSpec;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which policies of the log this proxy keeps, given the {@link SidecarScope} of the Istio Sidecar
 * that applies to it: the VirtualServices, DestinationRules and RetryBudgets of in-scope hosts (a
 * mesh-wide host always), the SLOs and Canaries of in-scope services, and the workload-side kinds
 * (AuthorizationPolicy, PeerAuthentication, RateLimitPolicy, Telemetry, Sidecar) of its own and the
 * root namespace, the only ones that can apply to it. Unscoped, it keeps everything, as before
 * Sidecars existed. Immutable.
 *
 * @param namespace this workload's namespace ({@code .} in its Sidecar, and where its policies live)
 * @param labels this workload's labels (a Sidecar's workloadSelector matches them)
 * @param rootNamespace the mesh root namespace (its selector-less Sidecar is the mesh default)
 */
public record PolicyScope(String namespace, Map<String, String> labels, String rootNamespace) {
    public PolicyScope {
        labels = Map.copyOf(labels);
    }

    /** Whether {@code event} can apply to this workload under {@code scope}. */
    public boolean keeps(PolicyEvent event, SidecarScope scope) {
        if (scope.unscoped()) {
            return true;
        }
        var ns = event.getNamespace();
        var spec = event.getSpec();
        if (spec instanceof VirtualServiceSpec vs) {
            return scope.allowsAny(ns, vs.getHosts());
        } else if (spec instanceof DestinationRuleSpec dr) {
            return scope.allowsAny(ns, List.of(dr.getHost()));
        } else if (spec instanceof RetryBudgetSpec rb) {
            return scope.allowsAny(ns, List.of(rb.getHost()));
        } else if (spec instanceof ServiceLevelObjectiveSpec slo) {
            return scope.allowsAny(ns, List.of(slo.getService()));
        } else if (spec instanceof CanarySpec canary) {
            return scope.allowsAny(ns, List.of(canary.getTargetRef().getName()));
        }
        return ns.equals(namespace) || ns.equals(rootNamespace);
    }

    /** Whether {@code event} is a Sidecar that may select this workload (its namespace or the root). */
    public boolean isCandidate(PolicyEvent event) {
        return event.getSpec() instanceof SidecarSpec
                && (event.getNamespace().equals(namespace) || event.getNamespace().equals(rootNamespace));
    }

    /** The scope chosen among the candidate Sidecars, as Istio picks one (see {@link SidecarScope#select}). */
    public SidecarScope select(Map<String, PolicyEvent> candidatesByKey) {
        var declared = new ArrayList<SidecarScope.Declared>();
        new java.util.TreeMap<>(candidatesByKey).values().forEach(event -> {
            var spec = (SidecarSpec) event.getSpec();
            var hosts = new ArrayList<String>();
            spec.getEgress().forEach(listener -> hosts.addAll(listener.getHosts()));
            var selector = spec.getWorkloadSelector() == null ? null : spec.getWorkloadSelector().getMatchLabels();
            declared.add(new SidecarScope.Declared(event.getNamespace(), selector, hosts));
        });
        return SidecarScope.select(declared, namespace, labels, rootNamespace);
    }
}
