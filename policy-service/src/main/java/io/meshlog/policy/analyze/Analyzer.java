package io.meshlog.policy.analyze;

import io.meshlog.policy.model.Durations;
import io.meshlog.policy.model.PolicyDocument;
import io.meshlog.schemas.v1.AuthorizationAction;
import io.meshlog.schemas.v1.AuthorizationPolicySpec;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.ExcludedWorkloadSpec;
import io.meshlog.schemas.v1.MtlsMode;
import io.meshlog.schemas.v1.PeerAuthenticationSpec;
import io.meshlog.schemas.v1.RateLimitPolicySpec;
import io.meshlog.schemas.v1.TelemetrySpec;
import io.meshlog.schemas.v1.TrafficPolicy;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import io.meshlog.schemas.v1.WorkloadSelector;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks documents against each other and the known workloads; see {@link Codes}. */
public final class Analyzer {
    private static final Pattern PRINCIPAL = Pattern.compile("(?:spiffe://)?[^/]+/ns/([^/]+)/sa/([^/]+)");

    private final List<Workload> workloads;
    private final Clock clock;

    /** @param workloads the known workloads, or null when unknown (workload checks are then skipped) */
    public Analyzer(List<Workload> workloads) {
        this(workloads, Clock.systemUTC());
    }

    /**
     * @param workloads the known workloads, or null when unknown (workload checks are then skipped)
     * @param clock today, for the review dates of excluded workloads
     */
    public Analyzer(List<Workload> workloads, Clock clock) {
        this.workloads = workloads == null ? null : List.copyOf(workloads);
        this.clock = clock;
    }

    public List<Finding> analyze(List<PolicyDocument> documents) {
        var findings = new ArrayList<Finding>();
        var exclusions = new ExclusionChecks(documents, workloads, clock, findings);
        for (var doc : documents) {
            var spec = doc.spec();
            if (spec instanceof VirtualServiceSpec vs) {
                new RouteChecks(doc, vs, documents, findings).run();
            } else if (spec instanceof DestinationRuleSpec dr) {
                ejectAll(doc, dr.getTrafficPolicy(), "spec.trafficPolicy", findings);
                for (int i = 0; i < dr.getSubsets().size(); i++) {
                    ejectAll(doc, dr.getSubsets().get(i).getTrafficPolicy(), "spec.subsets[" + i + "].trafficPolicy", findings);
                }
            } else if (spec instanceof AuthorizationPolicySpec ap) {
                selector(doc, ap.getSelector(), findings);
                principals(doc, ap, findings);
                if (ap.getAction() == AuthorizationAction.ALLOW) {
                    DeadRules.check(doc, ap, documents, findings);
                }
            } else if (spec instanceof PeerAuthenticationSpec pa) {
                selector(doc, pa.getSelector(), findings);
                strictWithoutSidecar(doc, pa, findings);
            } else if (spec instanceof RateLimitPolicySpec rl) {
                selector(doc, rl.getSelector(), findings);
            } else if (spec instanceof TelemetrySpec t) {
                selector(doc, t.getSelector(), findings);
            } else if (spec instanceof ExcludedWorkloadSpec excluded) {
                exclusions.check(doc, excluded);
            }
        }
        return findings;
    }

    static String resource(PolicyDocument doc) {
        return doc.kind().name() + " " + doc.namespace() + "/" + doc.name();
    }

    private static void ejectAll(PolicyDocument doc, TrafficPolicy policy, String path, List<Finding> findings) {
        if (policy == null || policy.getOutlierDetection() == null) {
            return;
        }
        var od = policy.getOutlierDetection();
        if (od.getMaxEjectionPercent() != null && od.getMaxEjectionPercent() >= 100
                && (od.getMinHealthPercent() == null || od.getMinHealthPercent() == 0)) {
            findings.add(new Finding(Codes.EJECT_ALL, Finding.Severity.WARNING, resource(doc),
                    path + ".outlierDetection.maxEjectionPercent",
                    "outlier detection may eject every endpoint (maxEjectionPercent " + od.getMaxEjectionPercent() + ")",
                    "lower maxEjectionPercent (e.g. 50) or set minHealthPercent so some endpoints always stay"));
        }
    }

    private void selector(PolicyDocument doc, WorkloadSelector selector, List<Finding> findings) {
        if (workloads == null || selector == null || selector.getMatchLabels().isEmpty()) {
            return;
        }
        var matches = workloads.stream().anyMatch(w -> w.namespace().equals(doc.namespace())
                && w.labels().entrySet().containsAll(selector.getMatchLabels().entrySet()));
        if (!matches) {
            findings.add(new Finding(Codes.SELECTOR_MATCHES_NOTHING, Finding.Severity.WARNING, resource(doc),
                    "spec.selector.matchLabels", "selector " + selector.getMatchLabels() + " matches no known workload in namespace "
                            + doc.namespace(), "check the labels against the workloads' labels, or the namespace"));
        }
    }

    private void principals(PolicyDocument doc, AuthorizationPolicySpec ap, List<Finding> findings) {
        if (workloads == null || ap.getRules() == null) {
            return;
        }
        for (int r = 0; r < ap.getRules().size(); r++) {
            var from = ap.getRules().get(r).getFrom();
            for (int f = 0; f < from.size(); f++) {
                var principals = from.get(f).getPrincipals();
                for (int p = 0; p < principals.size(); p++) {
                    var matcher = PRINCIPAL.matcher(principals.get(p));
                    if (!matcher.matches() || principals.get(p).contains("*")) {
                        continue;
                    }
                    var ns = matcher.group(1);
                    var sa = matcher.group(2);
                    if (workloads.stream().noneMatch(w -> w.namespace().equals(ns) && w.serviceAccount().equals(sa))) {
                        findings.add(new Finding(Codes.UNKNOWN_PRINCIPAL, Finding.Severity.WARNING, resource(doc),
                                "spec.rules[" + r + "].from[" + f + "].source.principals[" + p + "]",
                                "no known workload runs as service account " + ns + "/" + sa,
                                "check the namespace and service account name (cluster.local/ns/<ns>/sa/<sa>)"));
                    }
                }
            }
        }
    }

    private void strictWithoutSidecar(PolicyDocument doc, PeerAuthenticationSpec pa, List<Finding> findings) {
        if (workloads == null || pa.getMtls() == null || pa.getMtls() != MtlsMode.STRICT) {
            return;
        }
        var selector = Optional.ofNullable(pa.getSelector()).map(WorkloadSelector::getMatchLabels).orElse(java.util.Map.of());
        var without = workloads.stream().filter(w -> w.namespace().equals(doc.namespace()) && !w.sidecar()
                && w.labels().entrySet().containsAll(selector.entrySet())).map(Workload::name).sorted().toList();
        if (!without.isEmpty()) {
            findings.add(new Finding(Codes.STRICT_WITHOUT_SIDECAR, Finding.Severity.ERROR, resource(doc), "spec.mtls.mode",
                    "STRICT mTLS, but these workloads have no sidecar and cannot be reached: " + String.join(", ", without),
                    "add sidecars to them, or use PERMISSIVE until they have one"));
        }
    }

    static String millis(long value) {
        return Durations.format(value);
    }
}
