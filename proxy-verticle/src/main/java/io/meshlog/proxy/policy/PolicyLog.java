package io.meshlog.proxy.policy;

import io.meshlog.schemas.v1.PolicyEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The latest state of the policy topic as records are read: puts, tombstones and rejected events.
 * Mutable and confined to the consumer's thread; {@link #snapshot()} makes the immutable view.
 */
final class PolicyLog {
    private final Map<String, PolicyEvent> policies = new HashMap<>();
    private final Map<String, PolicyRejection> rejected = new TreeMap<>();
    private long version;

    /** Applies a valid event; returns whether anything changed. */
    boolean put(String key, PolicyEvent event) {
        boolean changed = !Objects.equals(policies.put(key, event), event);
        changed |= rejected.remove(key) != null;
        return count(changed);
    }

    /** Applies a tombstone; returns whether anything changed. */
    boolean delete(String key) {
        boolean changed = policies.remove(key) != null;
        changed |= rejected.remove(key) != null;
        return count(changed);
    }

    /** Notes a skipped event (the key's last valid version stays); returns whether it is news. */
    boolean reject(PolicyRejection rejection) {
        return count(!rejection.equals(rejected.put(rejection.policyKey(), rejection)));
    }

    private boolean count(boolean changed) {
        if (changed) {
            version++;
        }
        return changed;
    }

    PolicyState snapshot() {
        return new PolicyState(policies, version, rejected.values().stream().toList());
    }
}
