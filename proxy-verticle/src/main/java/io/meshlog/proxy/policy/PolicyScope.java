package io.meshlog.proxy.policy;

import io.meshlog.policy.model.SidecarScope;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.SidecarSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * This workload as the Sidecar scoping sees it: which Sidecars may select it, which one does, and
 * which policies it keeps under the chosen {@link SidecarScope} ({@link SidecarScope#holds}, shared
 * with the policy-service's status view). Immutable.
 *
 * @param namespace this workload's namespace ({@code .} in its Sidecar, and where its policies live)
 * @param labels this workload's labels (a Sidecar's workloadSelector matches them)
 * @param rootNamespace the mesh root namespace (its selector-less Sidecar is the mesh default)
 */
public record PolicyScope(String namespace, Map<String, String> labels, String rootNamespace) {
    public PolicyScope {
        labels = Map.copyOf(labels);
    }

    /** Whether {@code event} can apply to this workload under {@code scope} ({@link SidecarScope#holds}). */
    public boolean keeps(PolicyEvent event, SidecarScope scope) {
        return scope.holds(event, namespace, rootNamespace);
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
