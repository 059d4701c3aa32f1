package io.meshlog.proxy.authz;

import io.meshlog.proxy.policy.PolicyState;
import io.meshlog.schemas.v1.AuthorizationAction;
import io.meshlog.schemas.v1.AuthorizationPolicySpec;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * AuthorizationPolicy with Istio's semantics, as a pure function of (request, policies):
 *
 * <ol>
 *   <li>Policies apply to the called workload when they are in its namespace or in the root
 *       namespace (mesh-wide), and their selector (if any) matches its labels.
 *   <li>DENY policies first: one that matches denies.
 *   <li>No ALLOW policy applies: allow. Otherwise allow only if one matches (deny by default).
 *       An ALLOW policy without rules matches nothing, so it denies everything.
 *   <li>Dry-run policies never change the result; the decision lists those that would have denied
 *       a request that is allowed.
 *   <li>AUDIT policies never change the result either; the decision lists those whose rules match,
 *       so the request is logged and counted for each (Istio's AUDIT action).
 * </ol>
 *
 * Thread-safe, no side effects: counting and logging are {@link AuthorizationAudit}'s job.
 */
public final class AuthorizationEvaluator {
    private final String rootNamespace;

    /** @param rootNamespace the namespace whose policies are mesh-wide, e.g. {@code meshlog-system} */
    public AuthorizationEvaluator(String rootNamespace) {
        this.rootNamespace = rootNamespace;
    }

    public AuthorizationDecision evaluate(RequestAttributes request, PolicyState policies) {
        return evaluate(request, policies.policies().values());
    }

    public AuthorizationDecision evaluate(RequestAttributes request, Collection<PolicyEvent> policies) {
        var applicable = policies.stream()
                .filter(p -> p.getKind() == PolicyKind.AuthorizationPolicy)
                .filter(p -> p.getSpec() instanceof AuthorizationPolicySpec)
                .filter(p -> applies(p, request))
                .sorted(Comparator.comparing(AuthorizationEvaluator::name))
                .toList();
        var audited = ofAction(applicable, AuthorizationAction.AUDIT).stream()
                .filter(p -> matches(p, request)).map(AuthorizationEvaluator::name).toList();
        var dryRunDenials = new ArrayList<String>();
        for (var policy : ofAction(applicable, AuthorizationAction.DENY)) {
            if (matches(policy, request)) {
                if (spec(policy).getDryRun()) {
                    dryRunDenials.add(name(policy));
                } else {
                    return new AuthorizationDecision(false, Optional.of(name(policy)),
                            "matched DENY policy", List.of(), audited);
                }
            }
        }
        var allows = ofAction(applicable, AuthorizationAction.ALLOW);
        var enforced = allows.stream().filter(p -> !spec(p).getDryRun()).toList();
        var shadow = allows.stream().filter(p -> spec(p).getDryRun()).toList();
        AuthorizationDecision decision;
        if (enforced.isEmpty()) {
            decision = new AuthorizationDecision(true, Optional.empty(), "no ALLOW policy applies", List.of());
        } else {
            var match = enforced.stream().filter(p -> matches(p, request)).findFirst();
            decision = match.map(p -> new AuthorizationDecision(true, Optional.of(name(p)),
                            "matched ALLOW policy", List.of()))
                    .orElseGet(() -> new AuthorizationDecision(false, Optional.empty(),
                            "no ALLOW policy matched (deny by default)", List.of()));
        }
        if (decision.allowed() && !shadow.isEmpty() && decision.policy().isEmpty()
                && shadow.stream().noneMatch(p -> matches(p, request))) {
            shadow.forEach(p -> dryRunDenials.add(name(p)));
        }
        return new AuthorizationDecision(decision.allowed(), decision.policy(), decision.reason(), dryRunDenials,
                audited);
    }

    private boolean applies(PolicyEvent policy, RequestAttributes request) {
        var namespace = policy.getNamespace();
        if (!namespace.equals(request.workloadNamespace()) && !namespace.equals(rootNamespace)) {
            return false;
        }
        var selector = spec(policy).getSelector();
        if (selector == null || selector.getMatchLabels().isEmpty()) {
            // a selector-less policy in the root namespace applies mesh-wide
            return true;
        }
        Map<String, String> labels = request.workloadLabels();
        return labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }

    private static boolean matches(PolicyEvent policy, RequestAttributes request) {
        var spec = spec(policy);
        var rules = spec.getRules();
        if (rules == null) {
            return false;
        }
        return rules.stream().anyMatch(rule -> RuleMatcher.matches(rule, request, spec.getAction()));
    }

    private static List<PolicyEvent> ofAction(List<PolicyEvent> policies, AuthorizationAction action) {
        return policies.stream().filter(p -> spec(p).getAction() == action).toList();
    }

    private static AuthorizationPolicySpec spec(PolicyEvent policy) {
        return (AuthorizationPolicySpec) policy.getSpec();
    }

    private static String name(PolicyEvent policy) {
        return policy.getNamespace() + "/" + policy.getName();
    }
}
