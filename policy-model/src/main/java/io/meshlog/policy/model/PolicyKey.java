package io.meshlog.policy.model;

import io.meshlog.schemas.v1.PolicyKind;

/** The identity of one policy and its Kafka key {@code kind/namespace/name}. */
public record PolicyKey(PolicyKind kind, String namespace, String name) {
    public PolicyKey {
        if (kind == null || namespace == null || name == null) {
            throw new IllegalArgumentException("kind, namespace and name are required");
        }
    }

    /** Parses a Kafka key such as {@code DestinationRule/shop/reviews}; null if malformed. */
    public static PolicyKey parse(String key) {
        var parts = key == null ? new String[0] : key.split("/", -1);
        if (parts.length != 3) {
            return null;
        }
        var kind = PolicyKinds.find(parts[0]);
        return kind == null || !kind.name().equals(parts[0]) ? null : new PolicyKey(kind, parts[1], parts[2]);
    }

    @Override
    public String toString() {
        return kind.name() + "/" + namespace + "/" + name;
    }
}
