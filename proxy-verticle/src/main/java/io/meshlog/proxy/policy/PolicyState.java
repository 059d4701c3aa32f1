package io.meshlog.proxy.policy;

import io.meshlog.schemas.v1.PolicyEvent;
import java.util.Map;

/**
 * Every live policy of the mesh as read from the compacted {@code mesh.policy.v1} topic: the
 * latest valid event per key, without deleted ones. Immutable; a new one is made per change.
 *
 * @param policies key {@code kind/namespace/name} to its latest event
 * @param version grows by one with every change the consumer applies
 */
public record PolicyState(Map<String, PolicyEvent> policies, long version) {
    public PolicyState {
        policies = Map.copyOf(policies);
    }

    public static PolicyState empty() {
        return new PolicyState(Map.of(), 0);
    }

    /** The key a policy has on the topic: {@code kind/namespace/name}. */
    public static String keyOf(PolicyEvent event) {
        return event.getKind() + "/" + event.getNamespace() + "/" + event.getName();
    }
}
