package io.meshlog.proxy.security;

import io.meshlog.policy.model.MeshModes;
import io.meshlog.schemas.v1.EnforcementMode;
import io.meshlog.proxy.identity.PeerAuthenticationResolver;
import io.meshlog.proxy.policy.PolicyState;
import io.meshlog.schemas.v1.AuthorizationPolicySpec;
import io.meshlog.schemas.v1.MtlsMode;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The security policies of this workload, compiled once per {@link PolicyState}: the
 * PeerAuthentication mode of its inbound port and the AuthorizationPolicies that can apply to it
 * (its namespace or the root namespace, selector matching its labels). A request or connection
 * asks {@link #current()}; a new policy state is compiled on the first ask after it arrived.
 */
final class PolicyView {
    /**
     * @param state the policy state compiled
     * @param mtls STRICT, PERMISSIVE or DISABLE for the inbound port, as enforced: PERMISSIVE where the
     *     policy says STRICT but the workload's MeshMode is OBSERVE
     * @param authorization the AuthorizationPolicies that may apply; empty: nothing to evaluate
     * @param configuredMtls the mode the PeerAuthentications say, whatever the MeshMode
     */
    record Compiled(PolicyState state, MtlsMode mtls, List<PolicyEvent> authorization, MtlsMode configuredMtls) {}

    private final Supplier<PolicyState> states;
    private final PeerAuthenticationResolver resolver;
    private final String rootNamespace;
    private final String namespace;
    private final Map<String, String> labels;
    private final int port;
    private volatile Compiled compiled;

    /**
     * @param states the current policy state (read on every ask, compared by identity)
     * @param port the workload port PeerAuthentication {@code portLevelMtls} refers to
     */
    PolicyView(Supplier<PolicyState> states, String rootNamespace, String namespace, Map<String, String> labels,
            int port) {
        this.states = states;
        this.resolver = new PeerAuthenticationResolver(rootNamespace);
        this.rootNamespace = rootNamespace;
        this.namespace = namespace;
        this.labels = Map.copyOf(labels);
        this.port = port;
    }

    Compiled current() {
        var state = states.get();
        var known = compiled;
        if (known != null && known.state() == state) {
            return known;
        }
        var fresh = compile(state == null ? PolicyState.empty() : state);
        compiled = fresh;
        return fresh;
    }

    private Compiled compile(PolicyState state) {
        var mode = resolver.resolve(state, namespace, labels, port);
        boolean observe = MeshModes.resolve(state.policies().values(), rootNamespace, namespace, labels)
                == EnforcementMode.OBSERVE;
        var enforced = observe && mode == MtlsMode.STRICT ? MtlsMode.PERMISSIVE : mode;
        var authorization = state.policies().values().stream()
                .filter(p -> p.getKind() == PolicyKind.AuthorizationPolicy)
                .filter(p -> p.getSpec() instanceof AuthorizationPolicySpec)
                .filter(p -> p.getNamespace().equals(namespace) || p.getNamespace().equals(rootNamespace))
                .filter(this::selects)
                .toList();
        return new Compiled(state, enforced, authorization, mode);
    }

    private boolean selects(PolicyEvent policy) {
        var selector = ((AuthorizationPolicySpec) policy.getSpec()).getSelector();
        return selector == null || labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }
}
