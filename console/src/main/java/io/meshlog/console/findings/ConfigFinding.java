package io.meshlog.console.findings;

import io.meshlog.schemas.v1.PolicyKind;
import java.util.Objects;

/**
 * One problem found in the policies in force, as the console shows it on a node.
 *
 * @param code a stable code such as {@code ML0105} (policy-service's analyze codes)
 * @param severity {@code ERROR}, {@code WARNING} or {@code INFO}
 * @param kind the kind of the policy concerned
 * @param namespace the policy's namespace
 * @param name the policy's name
 * @param path where in the policy, e.g. {@code spec.trafficPolicy.outlierDetection.maxEjectionPercent}
 * @param message what is wrong
 * @param hint how to fix it
 */
public record ConfigFinding(String code, String severity, PolicyKind kind, String namespace, String name,
        String path, String message, String hint) {
    public ConfigFinding {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    /** The policy's log key, {@code kind/namespace/name}. */
    public String policyKey() {
        return kind.name() + "/" + namespace + "/" + name;
    }
}
