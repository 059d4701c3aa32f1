package io.meshlog.policy.model;

import io.meshlog.schemas.v1.AuthorizationPolicySpec;
import io.meshlog.schemas.v1.CanarySpec;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.MeshModeSpec;
import io.meshlog.schemas.v1.ExcludedWorkloadSpec;
import io.meshlog.schemas.v1.PeerAuthenticationSpec;
import io.meshlog.schemas.v1.PolicyKind;
import io.meshlog.schemas.v1.RateLimitPolicySpec;
import io.meshlog.schemas.v1.RetryBudgetSpec;
import io.meshlog.schemas.v1.ServiceLevelObjectiveSpec;
import io.meshlog.schemas.v1.SidecarSpec;
import io.meshlog.schemas.v1.TelemetrySpec;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/** Kind names as users write them (Kind, kind, kinds) and the Avro spec schema of each kind. */
public final class PolicyKinds {
    private PolicyKinds() {}

    private static final java.util.Map<String, PolicyKind> SHORT_NAMES = java.util.Map.of(
            "pa", PolicyKind.PeerAuthentication, "ap", PolicyKind.AuthorizationPolicy,
            "dr", PolicyKind.DestinationRule, "vs", PolicyKind.VirtualService, "rl", PolicyKind.RateLimitPolicy,
            "rb", PolicyKind.RetryBudget, "slo", PolicyKind.ServiceLevelObjective, "tel", PolicyKind.Telemetry, "mm", PolicyKind.MeshMode,
            "ew", PolicyKind.ExcludedWorkload);

    /** The kind named {@code text} (case-insensitive, singular, plural or short name such as vs), or null. */
    public static PolicyKind find(String text) {
        if (text == null) {
            return null;
        }
        var lower = text.toLowerCase(Locale.ROOT);
        if (SHORT_NAMES.containsKey(lower)) {
            return SHORT_NAMES.get(lower);
        }
        for (var kind : PolicyKind.values()) {
            var name = kind.name().toLowerCase(Locale.ROOT);
            if (lower.equals(name) || lower.equals(plural(kind))) {
                return kind;
            }
        }
        return null;
    }

    /** The URL form of a kind: lowercase plural, e.g. {@code destinationrules}. */
    public static String plural(PolicyKind kind) {
        var name = kind.name().toLowerCase(Locale.ROOT);
        return name.endsWith("y") ? name.substring(0, name.length() - 1) + "ies" : name + "s";
    }

    /** Every kind name, for error messages. */
    public static String names() {
        return Arrays.stream(PolicyKind.values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    /** The Avro schema of the spec record of {@code kind}. */
    public static Schema specSchema(PolicyKind kind) {
        return switch (kind) {
            case PeerAuthentication -> PeerAuthenticationSpec.getClassSchema();
            case AuthorizationPolicy -> AuthorizationPolicySpec.getClassSchema();
            case DestinationRule -> DestinationRuleSpec.getClassSchema();
            case VirtualService -> VirtualServiceSpec.getClassSchema();
            case RateLimitPolicy -> RateLimitPolicySpec.getClassSchema();
            case RetryBudget -> RetryBudgetSpec.getClassSchema();
            case ServiceLevelObjective -> ServiceLevelObjectiveSpec.getClassSchema();
            case Telemetry -> TelemetrySpec.getClassSchema();
            case Canary -> CanarySpec.getClassSchema();
            case MeshMode -> MeshModeSpec.getClassSchema();
            case ExcludedWorkload -> ExcludedWorkloadSpec.getClassSchema();
            case Sidecar -> SidecarSpec.getClassSchema();
        };
    }
}
