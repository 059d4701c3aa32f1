package io.meshlog.policy.model;

import io.meshlog.schemas.v1.EnforcementMode;
import io.meshlog.schemas.v1.MeshModeSpec;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.WorkloadSelector;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * The enforcement mode of one workload, decided as Istio decides PeerAuthentication: a MeshMode in
 * the workload's namespace whose selector matches its labels, else the namespace's selector-less
 * MeshMode, else the root namespace's selector-less one (mesh-wide), else {@link #DEFAULT}. Among
 * several at one level the oldest wins (then the name), as in Istio. The proxy (what it enforces)
 * and policy-service ({@code meshctl rollout status}) both decide with this class. Pure.
 */
public final class MeshModes {
    /** Without any MeshMode, sidecars enforce (what meshlog did before the kind existed). */
    public static final EnforcementMode DEFAULT = EnforcementMode.ENFORCE;

    private static final Comparator<PolicyEvent> OLDEST_FIRST =
            Comparator.comparing(PolicyEvent::getTime).thenComparing(PolicyEvent::getName);

    private MeshModes() {}

    /**
     * The mode of a workload in {@code namespace} with {@code labels} (empty labels: the namespace's
     * own mode, as no selector matches them).
     */
    public static EnforcementMode resolve(Collection<PolicyEvent> policies, String rootNamespace, String namespace,
            Map<String, String> labels) {
        var modes = policies.stream().filter(p -> p.getSpec() instanceof MeshModeSpec).sorted(OLDEST_FIRST).toList();
        return modes.stream()
                .filter(p -> p.getNamespace().equals(namespace) && !labels.isEmpty() && selects(spec(p).getSelector(), labels))
                .findFirst()
                .or(() -> selectorless(modes, namespace))
                .or(() -> selectorless(modes, rootNamespace))
                .map(p -> spec(p).getMode())
                .orElse(DEFAULT);
    }

    /** The mode of {@code namespace} as a whole (its selector-less MeshMode, else the mesh's). */
    public static EnforcementMode namespaceMode(Collection<PolicyEvent> policies, String rootNamespace, String namespace) {
        return resolve(policies, rootNamespace, namespace, Map.of());
    }

    private static Optional<PolicyEvent> selectorless(java.util.List<PolicyEvent> modes, String namespace) {
        return modes.stream().filter(p -> p.getNamespace().equals(namespace) && isSelectorless(spec(p).getSelector()))
                .findFirst();
    }

    private static boolean isSelectorless(WorkloadSelector selector) {
        return selector == null || selector.getMatchLabels().isEmpty();
    }

    private static boolean selects(WorkloadSelector selector, Map<String, String> labels) {
        return !isSelectorless(selector) && labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }

    private static MeshModeSpec spec(PolicyEvent policy) {
        return (MeshModeSpec) policy.getSpec();
    }
}
