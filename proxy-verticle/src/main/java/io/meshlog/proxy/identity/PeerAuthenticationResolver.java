package io.meshlog.proxy.identity;

import io.meshlog.proxy.policy.PolicyState;
import io.meshlog.schemas.v1.MtlsMode;
import io.meshlog.schemas.v1.PeerAuthenticationSpec;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PeerAuthentication mode of one inbound port, Istio-style. Candidates, most specific first:
 * a workload policy (the workload's namespace, selector matching its labels), a namespace-wide
 * policy (no selector), the mesh-wide policy (root namespace, no selector). In each, a
 * {@code portLevelMtls} entry for the port beats the policy's {@code mtls}; UNSET or absent defers
 * to the next candidate; nothing set means PERMISSIVE (the mesh default). Among several workload
 * policies the oldest wins, as in Istio. Pure and thread-safe.
 */
public final class PeerAuthenticationResolver {
    /** The mode when no policy sets one. */
    public static final MtlsMode MESH_DEFAULT = MtlsMode.PERMISSIVE;

    private final String rootNamespace;

    /** @param rootNamespace the namespace whose selector-less policy is mesh-wide, e.g. meshlog-system */
    public PeerAuthenticationResolver(String rootNamespace) {
        this.rootNamespace = rootNamespace;
    }

    public MtlsMode resolve(PolicyState policies, String namespace, Map<String, String> labels, int port) {
        return resolve(policies.policies().values(), namespace, labels, port);
    }

    /** STRICT, PERMISSIVE or DISABLE (never UNSET) for {@code port} of the given workload. */
    public MtlsMode resolve(Collection<PolicyEvent> policies, String namespace,
            Map<String, String> labels, int port) {
        var peerAuths = policies.stream()
                .filter(p -> p.getKind() == PolicyKind.PeerAuthentication)
                .filter(p -> p.getSpec() instanceof PeerAuthenticationSpec)
                .sorted(Comparator.comparing(PolicyEvent::getTime).thenComparing(PolicyEvent::getName))
                .toList();
        var candidates = new ArrayList<PeerAuthenticationSpec>();
        workloadPolicy(peerAuths, namespace, labels).ifPresent(candidates::add);
        selectorless(peerAuths, namespace).ifPresent(candidates::add);
        if (!namespace.equals(rootNamespace)) {
            selectorless(peerAuths, rootNamespace).ifPresent(candidates::add);
        }
        for (var spec : candidates) {
            var portMode = spec.getPortLevelMtls().get(Integer.toString(port));
            if (isSet(portMode)) {
                return portMode;
            }
            if (isSet(spec.getMtls())) {
                return spec.getMtls();
            }
        }
        return MESH_DEFAULT;
    }

    private static Optional<PeerAuthenticationSpec> workloadPolicy(
            List<PolicyEvent> policies, String namespace, Map<String, String> labels) {
        return policies.stream()
                .filter(p -> p.getNamespace().equals(namespace))
                .map(p -> (PeerAuthenticationSpec) p.getSpec())
                .filter(s -> s.getSelector() != null && !s.getSelector().getMatchLabels().isEmpty())
                .filter(s -> labels.entrySet().containsAll(s.getSelector().getMatchLabels().entrySet()))
                .findFirst();
    }

    private static Optional<PeerAuthenticationSpec> selectorless(List<PolicyEvent> policies, String namespace) {
        return policies.stream()
                .filter(p -> p.getNamespace().equals(namespace))
                .map(p -> (PeerAuthenticationSpec) p.getSpec())
                .filter(s -> s.getSelector() == null || s.getSelector().getMatchLabels().isEmpty())
                .findFirst();
    }

    private static boolean isSet(MtlsMode mode) {
        return mode != null && mode != MtlsMode.UNSET;
    }
}
