package io.meshlog.dev.demo;

/**
 * The demo's entry in the registry of excluded workloads: legacy-billing runs without a sidecar,
 * with its owner, reason and review date, and the endpoint where the sidecars call it in plaintext.
 */
public final class LegacyExclusion {
    private LegacyExclusion() {}

    /** The ExcludedWorkload document for legacy-billing serving on {@code port}. */
    public static String document(int port) {
        return """
                apiVersion: meshlog.io/v1
                kind: ExcludedWorkload
                metadata: {name: %s, namespace: %s}
                spec:
                  workload: %s
                  services: [%s]
                  endpoints: ["127.0.0.1:%d"]
                  owner: billing-team
                  reason: "vendor-supplied billing engine on a JVM too old for the sidecar's TLS; replaced by the 2027 billing rewrite"
                  since: "2026-01-15"
                  reviewDate: "2027-03-31"
                """.formatted(DemoTopology.LEGACY_SERVICE, DemoTopology.NAMESPACE, DemoTopology.LEGACY_SERVICE,
                DemoTopology.LEGACY_SERVICE, port);
    }
}
