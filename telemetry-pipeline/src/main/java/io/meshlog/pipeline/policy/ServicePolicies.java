package io.meshlog.pipeline.policy;

import io.meshlog.policy.model.MeshScope;
import io.meshlog.schemas.v1.CanarySpec;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.RetryBudgetSpec;
import io.meshlog.schemas.v1.ServiceLevelObjectiveSpec;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The policies that apply to one destination service: its DestinationRules, RetryBudgets,
 * ServiceLevelObjectives, Canaries and VirtualServices (by first host: the canary controller
 * follows the generations of the route it writes), by policy key ({@code kind/namespace/name}). Immutable; the derived,
 * parsed settings are memoised per instance (see {@link #derived}).
 */
public final class ServicePolicies {
    private static final ServicePolicies EMPTY = new ServicePolicies(Map.of());

    private final Map<String, PolicyEvent> byKey;
    private final Map<Object, Object> derived = new ConcurrentHashMap<>();

    private ServicePolicies(Map<String, PolicyEvent> byKey) {
        this.byKey = byKey;
    }

    /** No policy at all: every decision uses its defaults. */
    public static ServicePolicies empty() {
        return EMPTY;
    }

    public static ServicePolicies of(Map<String, PolicyEvent> byKey) {
        return byKey.isEmpty() ? EMPTY : new ServicePolicies(Map.copyOf(new TreeMap<>(byKey)));
    }

    /** The key a policy has on mesh.policy.v1. */
    public static String keyOf(PolicyEvent event) {
        return event.getKind() + "/" + event.getNamespace() + "/" + event.getName();
    }

    /** The destination service a policy is about, or empty for kinds the pipeline ignores. */
    public static Optional<String> serviceOf(PolicyEvent event) {
        var spec = event.getSpec();
        if (spec instanceof DestinationRuleSpec dr) {
            // a wildcard host is no service: mesh-wide rules reach the tasks through PolicyTable.broadcastMeshWide
            return MeshScope.isWildcard(dr.getHost()) ? Optional.empty() : Optional.of(dr.getHost());
        }
        if (spec instanceof RetryBudgetSpec rb) {
            return Optional.of(rb.getHost());
        }
        if (spec instanceof ServiceLevelObjectiveSpec slo) {
            return Optional.of(slo.getService());
        }
        if (spec instanceof CanarySpec canary) {
            return Optional.of(canary.getTargetRef().getName());
        }
        if (spec instanceof VirtualServiceSpec vs && !vs.getHosts().isEmpty()) {
            return Optional.of(vs.getHosts().get(0));
        }
        return Optional.empty();
    }

    /** A copy with {@code event} added (or replacing the same key). */
    public ServicePolicies with(PolicyEvent event) {
        var copy = new TreeMap<>(byKey);
        copy.put(keyOf(event), event);
        return of(copy);
    }

    /** A copy without the policy of {@code key}. */
    public ServicePolicies without(String key) {
        var copy = new TreeMap<>(byKey);
        copy.remove(key);
        return of(copy);
    }

    public Map<String, PolicyEvent> byKey() {
        return byKey;
    }

    /** The newest DestinationRule for the service (several: the last written wins). */
    public Optional<PolicyEvent> destinationRule() {
        return newest(DestinationRuleSpec.class);
    }

    /** The newest RetryBudget for the service. */
    public Optional<PolicyEvent> retryBudget() {
        return newest(RetryBudgetSpec.class);
    }

    /** Every ServiceLevelObjective on the service, in key order. */
    public List<PolicyEvent> slos() {
        return byKey.values().stream()
                .filter(e -> e.getSpec() instanceof ServiceLevelObjectiveSpec)
                .toList();
    }

    /** Every Canary targeting the service, in key order. */
    public List<PolicyEvent> canaries() {
        return byKey.values().stream()
                .filter(e -> e.getSpec() instanceof CanarySpec)
                .sorted(Comparator.comparing(ServicePolicies::keyOf))
                .toList();
    }

    private Optional<PolicyEvent> newest(Class<?> specType) {
        return byKey.values().stream()
                .filter(e -> specType.isInstance(e.getSpec()))
                .max(Comparator.comparing(PolicyEvent::getTime)
                        .thenComparingLong(PolicyEvent::getGeneration));
    }

    /**
     * A value computed once from these policies and kept with them, e.g. the parsed outlier
     * settings. {@code key} identifies the derivation (use a constant).
     */
    @SuppressWarnings("unchecked")
    public <T> T derived(Object key, Function<ServicePolicies, T> derivation) {
        // Per event: look up first, so the common hit allocates no capturing lambda.
        var known = derived.get(key);
        return (T) (known != null ? known : derived.computeIfAbsent(key, k -> derivation.apply(this)));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ServicePolicies that && byKey.equals(that.byKey);
    }

    @Override
    public int hashCode() {
        return byKey.hashCode();
    }

    @Override
    public String toString() {
        return "ServicePolicies" + byKey.keySet();
    }
}
