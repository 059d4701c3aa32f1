package io.meshlog.proxy.authz;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of authorizing one request.
 *
 * @param allowed whether the request may proceed
 * @param policy the policy that decided ({@code namespace/name}): the matching DENY or ALLOW
 *     policy; empty when no policy applied, or when ALLOW policies applied and none matched
 * @param reason a short explanation for logs and debugging (no request data in it)
 * @param dryRunDenials the dry-run policies ({@code namespace/name}) that would have denied this
 *     request had they been enforced
 * @param audited the AUDIT policies ({@code namespace/name}) whose rules match this request: it is
 *     logged and counted for each, never denied (Istio's AUDIT action)
 */
public record AuthorizationDecision(
        boolean allowed, Optional<String> policy, String reason, List<String> dryRunDenials, List<String> audited) {
    /** The response status of a denied request. */
    public static final int DENIED_STATUS = 403;
    /** The response body of a denied request, as Envoy's RBAC filter answers. */
    public static final String DENIED_BODY = "RBAC: access denied";
    /** The Envoy-style response flag of a denied request. */
    public static final String RESPONSE_FLAG = "UAEX";

    public AuthorizationDecision {
        dryRunDenials = List.copyOf(dryRunDenials);
        audited = List.copyOf(audited);
    }

    /** A decision no AUDIT policy matched. */
    public AuthorizationDecision(boolean allowed, Optional<String> policy, String reason, List<String> dryRunDenials) {
        this(allowed, policy, reason, dryRunDenials, List.of());
    }
}
