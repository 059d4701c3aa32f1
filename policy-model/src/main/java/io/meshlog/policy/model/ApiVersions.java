package io.meshlog.policy.model;

import io.meshlog.schemas.v1.PolicyKind;
import java.util.List;

/**
 * The apiVersions a document of each kind may carry: {@code meshlog.io/v1} for every kind, and
 * Istio's own groups and versions for the kinds Istio has, so Istio YAML is read as it is. What
 * is stored, published and printed ({@code meshctl get -o yaml}) is always {@link #CANONICAL}.
 */
public final class ApiVersions {
    /** The one apiVersion of stored and published documents. */
    public static final String CANONICAL = "meshlog.io/v1";

    private static final List<String> NETWORKING = List.of(
            "networking.istio.io/v1", "networking.istio.io/v1beta1", "networking.istio.io/v1alpha3");
    private static final List<String> SECURITY = List.of("security.istio.io/v1", "security.istio.io/v1beta1");
    private static final List<String> TELEMETRY = List.of("telemetry.istio.io/v1", "telemetry.istio.io/v1alpha1");

    private ApiVersions() {}

    /** Every apiVersion a {@code kind} document may carry, {@link #CANONICAL} first. */
    public static List<String> accepted(PolicyKind kind) {
        var istio = switch (kind) {
            case DestinationRule, VirtualService, Sidecar -> NETWORKING;
            case PeerAuthentication, AuthorizationPolicy -> SECURITY;
            case Telemetry -> TELEMETRY;
            default -> List.<String>of();
        };
        var all = new java.util.ArrayList<String>();
        all.add(CANONICAL);
        all.addAll(istio);
        return List.copyOf(all);
    }

    /** Whether a {@code kind} document may say {@code apiVersion}. */
    public static boolean accepts(PolicyKind kind, String apiVersion) {
        return accepted(kind).contains(apiVersion);
    }
}
