package io.meshlog.proxy.policy;

import io.meshlog.policy.model.SidecarScope;
import io.meshlog.schemas.v1.PolicyEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The latest state of the policy topic as records are read: puts, tombstones and rejected events,
 * keeping only what {@link PolicyScope} says can apply to this proxy under its Sidecar's scope (an
 * out-of-scope put drops the key's earlier version). The candidate Sidecars are kept aside to pick
 * the scope from. Mutable and confined to the consumer's thread; {@link #snapshot()} makes the
 * immutable view.
 */
final class PolicyLog {
    private final PolicyScope policyScope;
    private final Map<String, PolicyEvent> policies = new HashMap<>();
    private final Map<String, PolicyEvent> sidecars = new HashMap<>();
    private final Map<String, PolicyRejection> rejected = new TreeMap<>();
    private SidecarScope scope = SidecarScope.UNSCOPED;
    private long version;

    /** @param policyScope this workload, or null to keep every policy whatever the Sidecars say */
    PolicyLog(PolicyScope policyScope) {
        this.policyScope = policyScope;
    }

    PolicyLog() {
        this(null);
    }

    /** Applies a valid event; returns whether anything changed. */
    boolean put(String key, PolicyEvent event) {
        if (policyScope != null && policyScope.isCandidate(event)) {
            sidecars.put(key, event);
        } else {
            sidecars.remove(key);
        }
        boolean changed;
        if (policyScope == null || policyScope.keeps(event, scope)) {
            changed = !Objects.equals(policies.put(key, event), event);
        } else {
            changed = policies.remove(key) != null;
        }
        changed |= rejected.remove(key) != null;
        return count(changed);
    }

    /** Applies a tombstone; returns whether anything changed. */
    boolean delete(String key) {
        sidecars.remove(key);
        boolean changed = policies.remove(key) != null;
        changed |= rejected.remove(key) != null;
        return count(changed);
    }

    /** Notes a skipped event (the key's last valid version stays); returns whether it is news. */
    boolean reject(PolicyRejection rejection) {
        return count(!rejection.equals(rejected.put(rejection.policyKey(), rejection)));
    }

    /**
     * Picks the scope again from the Sidecars read so far and drops what falls out of it. Returns
     * whether the log must be read again from the start: the scope changed from a narrower one, so
     * policies skipped before may now be in scope.
     */
    boolean rescope() {
        if (policyScope == null) {
            return false;
        }
        var next = policyScope.select(sidecars);
        if (next.equals(scope)) {
            return false;
        }
        var previous = scope;
        scope = next;
        policies.entrySet().removeIf(entry -> !policyScope.keeps(entry.getValue(), next));
        count(true);
        return !previous.unscoped();
    }

    long version() {
        return version;
    }

    private boolean count(boolean changed) {
        if (changed) {
            version++;
        }
        return changed;
    }

    PolicyState snapshot() {
        return new PolicyState(policies, version, rejected.values().stream().toList(), scope);
    }
}
