package io.meshlog.proxy.policy;

import io.meshlog.policy.model.SidecarScope;
import io.meshlog.schemas.v1.PolicyEvent;
import java.util.List;
import java.util.Map;

/**
 * Every live policy of the mesh as read from the compacted {@code mesh.policy.v1} topic: the
 * latest valid event per key, without deleted ones. Immutable; a new one is made per change.
 *
 * @param policies key {@code kind/namespace/name} to its latest event
 * @param version grows by one with every change the consumer applies
 * @param rejected the latest invalid event per key that was skipped, with the reason (the key's
 *     last valid version, if any, stays in {@code policies}); reported in the proxy's ConfigAck
 * @param scope the services this proxy may call (its Sidecar's egress hosts): {@code policies} holds
 *     only what applies within it, and the endpoint registry watches only its services
 */
public record PolicyState(Map<String, PolicyEvent> policies, long version,
        List<PolicyRejection> rejected, SidecarScope scope) {
    public PolicyState {
        policies = Map.copyOf(policies);
        rejected = rejected == null ? List.of() : List.copyOf(rejected);
        scope = scope == null ? SidecarScope.UNSCOPED : scope;
    }

    /** An unscoped state. */
    public PolicyState(Map<String, PolicyEvent> policies, long version, List<PolicyRejection> rejected) {
        this(policies, version, rejected, SidecarScope.UNSCOPED);
    }

    /** An unscoped state without rejected events. */
    public PolicyState(Map<String, PolicyEvent> policies, long version) {
        this(policies, version, List.of());
    }

    public static PolicyState empty() {
        return new PolicyState(Map.of(), 0);
    }

    /** The key a policy has on the topic: {@code kind/namespace/name}. */
    public static String keyOf(PolicyEvent event) {
        return event.getKind() + "/" + event.getNamespace() + "/" + event.getName();
    }
}
