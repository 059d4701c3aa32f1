package io.meshlog.policy.analyze;

/** The stable finding codes of analyze. Never reuse a code for a different meaning. */
public final class Codes {
    /** A document that does not parse or validate. */
    public static final String INVALID = "ML0001";
    /** A VirtualService routes to a subset no DestinationRule of that host defines. */
    public static final String UNKNOWN_SUBSET = "ML0101";
    /** The weights of a route's destinations do not sum to 100. */
    public static final String WEIGHTS = "ML0102";
    /** perTryTimeout × attempts exceeds the route timeout. */
    public static final String RETRY_TIMEOUT = "ML0103";
    /** Retries allowed on non-idempotent methods (POST, PATCH). */
    public static final String NON_IDEMPOTENT_RETRY = "ML0104";
    /** Outlier detection may eject every endpoint (maxEjectionPercent 100). */
    public static final String EJECT_ALL = "ML0105";
    /** An ALLOW rule that a DENY rule makes dead. */
    public static final String DEAD_ALLOW = "ML0106";
    /** An AuthorizationPolicy names a service account no known workload uses. */
    public static final String UNKNOWN_PRINCIPAL = "ML0107";
    /** A selector that matches no known workload. */
    public static final String SELECTOR_MATCHES_NOTHING = "ML0108";
    /** STRICT mTLS in a namespace with workloads that have no sidecar. */
    public static final String STRICT_WITHOUT_SIDECAR = "ML0109";
    /** An ExcludedWorkload whose review date has passed. */
    public static final String EXCLUSION_REVIEW_OVERDUE = "ML0110";
    /** STRICT mTLS or an ALLOW-only AuthorizationPolicy refuses the plaintext calls of an excluded workload. */
    public static final String EXCLUDED_CALLER_CUT_OFF = "ML0111";

    /*
     * ML0201-ML0209: an Istio field accepted but not enforced by meshlog; the codes live with the
     * field registry in policy-model (io.meshlog.policy.model.IstioFields) so every reader emits them.
     */

    private Codes() {}
}
