package io.meshlog.proxy.policy;

import io.meshlog.schemas.v1.AuthorizationPolicySpec;
import io.meshlog.schemas.v1.CanarySpec;
import io.meshlog.schemas.v1.MeshModeSpec;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.PeerAuthenticationSpec;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import io.meshlog.schemas.v1.RateLimitPolicySpec;
import io.meshlog.schemas.v1.RetryBudgetSpec;
import io.meshlog.schemas.v1.ServiceLevelObjectiveSpec;
import io.meshlog.schemas.v1.SidecarSpec;
import io.meshlog.schemas.v1.TelemetrySpec;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import java.util.Optional;

/**
 * The checks a proxy makes before it applies a policy event: the envelope only (kind, key,
 * generation). The policy service validates specs in depth before publishing; this guards the
 * proxy against records written by anything else.
 */
final class PolicyEventValidator {
    private PolicyEventValidator() {}

    /** Why {@code event} (read under {@code key}) must not be applied, or empty when it may. */
    static Optional<String> problem(String key, PolicyEvent event) {
        if (key == null) {
            return Optional.of("record has no key; expected kind/namespace/name");
        }
        if (isBlankOrSlashed(event.getNamespace()) || isBlankOrSlashed(event.getName())) {
            return Optional.of("namespace and name must be non-blank and free of '/', but were '"
                    + event.getNamespace() + "' and '" + event.getName() + "'");
        }
        var expectedKey = PolicyState.keyOf(event);
        if (!expectedKey.equals(key)) {
            return Optional.of("key '" + key + "' does not match the event's kind/namespace/name '"
                    + expectedKey + "'");
        }
        var specType = specTypeOf(event.getKind());
        var spec = event.getSpec();
        if (!specType.isInstance(spec)) {
            return Optional.of("kind " + event.getKind() + " needs a " + specType.getSimpleName()
                    + " but the spec is a "
                    + (spec == null ? "null" : spec.getClass().getSimpleName()));
        }
        if (event.getGeneration() < 1) {
            return Optional.of("generation must be at least 1, but was " + event.getGeneration());
        }
        return Optional.empty();
    }

    private static boolean isBlankOrSlashed(String value) {
        return value == null || value.isBlank() || value.indexOf('/') >= 0;
    }

    static Class<?> specTypeOf(PolicyKind kind) {
        return switch (kind) {
            case PeerAuthentication -> PeerAuthenticationSpec.class;
            case AuthorizationPolicy -> AuthorizationPolicySpec.class;
            case DestinationRule -> DestinationRuleSpec.class;
            case VirtualService -> VirtualServiceSpec.class;
            case RateLimitPolicy -> RateLimitPolicySpec.class;
            case RetryBudget -> RetryBudgetSpec.class;
            case ServiceLevelObjective -> ServiceLevelObjectiveSpec.class;
            case Telemetry -> TelemetrySpec.class;
            case Canary -> CanarySpec.class;
            case MeshMode -> MeshModeSpec.class;
            case ExcludedWorkload -> io.meshlog.schemas.v1.ExcludedWorkloadSpec.class;
            case Sidecar -> SidecarSpec.class;
        };
    }
}
