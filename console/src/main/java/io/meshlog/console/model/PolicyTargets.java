package io.meshlog.console.model;

import io.meshlog.schemas.v1.AuthorizationPolicySpec;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.PeerAuthenticationSpec;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.RateLimitPolicySpec;
import io.meshlog.schemas.v1.RetryBudgetSpec;
import io.meshlog.schemas.v1.ServiceLevelObjectiveSpec;
import io.meshlog.schemas.v1.TelemetrySpec;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import io.meshlog.schemas.v1.WorkloadSelector;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which services a policy concerns. Host-based kinds name them; selector-based kinds concern the
 * service of their {@code app} label (the Istio convention the demo and Kiali follow), or every
 * service of the namespace when they select no app (e.g. a namespace-wide PeerAuthentication). A
 * DestinationRule with a wildcard host (the mesh-wide one) concerns every service.
 */
final class PolicyTargets {
    private PolicyTargets() {}

    /** The services {@code policy} concerns among {@code known}. */
    static Set<ServiceRef> of(PolicyEvent policy, Collection<ServiceRef> known) {
        var ns = policy.getNamespace();
        var out = new TreeSet<ServiceRef>();
        var spec = policy.getSpec();
        if (spec instanceof VirtualServiceSpec vs) {
            vs.getHosts().forEach(h -> out.add(ServiceRef.resolve(h, ns)));
        } else if (spec instanceof DestinationRuleSpec dr && dr.getHost().startsWith("*")) {
            out.addAll(known); // the mesh-wide rule (root namespace, *.local) sets the defaults of every service
        } else if (spec instanceof DestinationRuleSpec dr) {
            out.add(ServiceRef.resolve(dr.getHost(), ns));
        } else if (spec instanceof RetryBudgetSpec rb) {
            out.add(ServiceRef.resolve(rb.getHost(), ns));
        } else if (spec instanceof ServiceLevelObjectiveSpec slo) {
            out.add(ServiceRef.resolve(slo.getService(), ns));
        } else if (spec instanceof AuthorizationPolicySpec ap) {
            bySelector(ap.getSelector(), ns, known, out);
        } else if (spec instanceof PeerAuthenticationSpec pa) {
            bySelector(pa.getSelector(), ns, known, out);
        } else if (spec instanceof RateLimitPolicySpec rl) {
            bySelector(rl.getSelector(), ns, known, out);
        } else if (spec instanceof TelemetrySpec t) {
            bySelector(t.getSelector(), ns, known, out);
        }
        return out;
    }

    private static void bySelector(WorkloadSelector selector, String ns, Collection<ServiceRef> known,
            Set<ServiceRef> out) {
        var app = selector == null ? null : selector.getMatchLabels().get("app");
        if (app != null) {
            out.add(new ServiceRef(ns, app));
        } else if (selector == null || selector.getMatchLabels().isEmpty()) {
            known.stream().filter(s -> s.namespace().equals(ns)).forEach(out::add);
        }
        // A selector on other labels (e.g. tier) concerns workloads the console cannot see labels of.
    }
}
