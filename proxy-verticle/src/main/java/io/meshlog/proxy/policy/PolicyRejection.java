package io.meshlog.proxy.policy;

import java.util.Objects;

/**
 * A policy event this proxy did not apply, and why.
 *
 * @param policyKey the record's key ({@code kind/namespace/name}), or {@code "<no key>"}
 * @param generation the event's generation (0 when it had none)
 * @param reason what was wrong, e.g. {@code "kind VirtualService does not match spec
 *     DestinationRuleSpec"}
 */
public record PolicyRejection(String policyKey, long generation, String reason) {
    public PolicyRejection {
        Objects.requireNonNull(policyKey, "policyKey");
        Objects.requireNonNull(reason, "reason");
    }
}
