package io.meshlog.policy.analyze;

import io.meshlog.policy.model.PolicyDocument;
import io.meshlog.schemas.v1.AuthorizationAction;
import io.meshlog.schemas.v1.AuthorizationPolicySpec;
import io.meshlog.schemas.v1.AuthorizationRule;
import io.meshlog.schemas.v1.Operation;
import io.meshlog.schemas.v1.Source;
import io.meshlog.schemas.v1.WorkloadSelector;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** ALLOW rules that a DENY rule on the same workloads always overrides (DENY is evaluated first). */
final class DeadRules {
    private DeadRules() {}

    static void check(PolicyDocument allowDoc, AuthorizationPolicySpec allow, List<PolicyDocument> documents, List<Finding> findings) {
        if (allow.getRules() == null) {
            return;
        }
        for (var other : documents) {
            if (!(other.spec() instanceof AuthorizationPolicySpec deny) || deny.getAction() != AuthorizationAction.DENY
                    || !other.namespace().equals(allowDoc.namespace()) || deny.getRules() == null
                    || !covers(deny.getSelector(), allow.getSelector())) {
                continue;
            }
            for (int r = 0; r < allow.getRules().size(); r++) {
                var rule = allow.getRules().get(r);
                for (int d = 0; d < deny.getRules().size(); d++) {
                    if (covers(deny.getRules().get(d), rule)) {
                        findings.add(new Finding(Codes.DEAD_ALLOW, Finding.Severity.WARNING, Analyzer.resource(allowDoc),
                                "spec.rules[" + r + "]", "this ALLOW rule never applies: DENY rule " + d + " of "
                                        + Analyzer.resource(other) + " matches every request it matches",
                                "narrow the DENY rule, or remove the dead ALLOW rule"));
                        break;
                    }
                }
            }
        }
    }

    private static boolean covers(WorkloadSelector deny, WorkloadSelector allow) {
        Map<String, String> denyLabels = deny == null ? Map.of() : deny.getMatchLabels();
        Map<String, String> allowLabels = allow == null ? Map.of() : allow.getMatchLabels();
        return allowLabels.entrySet().containsAll(denyLabels.entrySet());
    }

    private static boolean covers(AuthorizationRule deny, AuthorizationRule allow) {
        if (!deny.getWhen().isEmpty()) {
            return false;
        }
        var fromCovered = deny.getFrom().isEmpty() || (!allow.getFrom().isEmpty()
                && allow.getFrom().stream().allMatch(s -> deny.getFrom().stream().anyMatch(d -> covers(d, s))));
        var toCovered = deny.getTo().isEmpty() || (!allow.getTo().isEmpty()
                && allow.getTo().stream().allMatch(o -> deny.getTo().stream().anyMatch(d -> covers(d, o))));
        return fromCovered && toCovered;
    }

    private static boolean covers(Source deny, Source allow) {
        if (!deny.getNotPrincipals().isEmpty() || !deny.getNotNamespaces().isEmpty()) {
            return false;
        }
        return within(deny.getPrincipals(), allow.getPrincipals()) && within(deny.getNamespaces(), allow.getNamespaces());
    }

    private static boolean covers(Operation deny, Operation allow) {
        if (!deny.getNotMethods().isEmpty() || !deny.getNotPaths().isEmpty() || !deny.getNotHosts().isEmpty()
                || !deny.getNotPorts().isEmpty()) {
            return false;
        }
        return within(deny.getMethods(), allow.getMethods()) && within(deny.getPaths(), allow.getPaths())
                && within(deny.getHosts(), allow.getHosts()) && within(deny.getPorts(), allow.getPorts());
    }

    /** Whether a DENY field covers every value an ALLOW field can match (empty = anything; "*" = anything). */
    private static boolean within(List<String> deny, List<String> allow) {
        if (deny.isEmpty() || deny.contains("*")) {
            return true;
        }
        return !allow.isEmpty() && new HashSet<>(deny).containsAll(allow);
    }
}
