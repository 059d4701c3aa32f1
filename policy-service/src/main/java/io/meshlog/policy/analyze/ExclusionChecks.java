package io.meshlog.policy.analyze;

import io.meshlog.policy.model.PolicyDocument;
import io.meshlog.policy.validate.ExclusionRules;
import io.meshlog.schemas.v1.AuthorizationAction;
import io.meshlog.schemas.v1.AuthorizationPolicySpec;
import io.meshlog.schemas.v1.AuthorizationRule;
import io.meshlog.schemas.v1.ExcludedWorkloadSpec;
import io.meshlog.schemas.v1.MtlsMode;
import io.meshlog.schemas.v1.PeerAuthenticationSpec;
import io.meshlog.schemas.v1.WorkloadSelector;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of excluded workloads against the rest of the policies: a review date that has
 * passed (ML0110), and an excluded workload whose plaintext calls a STRICT PeerAuthentication or
 * an ALLOW-only AuthorizationPolicy of the callee would refuse (ML0111, the check istioctl analyze
 * does for callers without a sidecar). The callee's labels come from the workloads file when it
 * names a workload of the service, else the mesh convention {@code app: <service>}.
 */
final class ExclusionChecks {
    static final String ROOT_NAMESPACE = "meshlog-system";

    private final List<PolicyDocument> documents;
    private final List<Workload> workloads;
    private final Clock clock;
    private final List<Finding> findings;

    ExclusionChecks(List<PolicyDocument> documents, List<Workload> workloads, Clock clock, List<Finding> findings) {
        this.documents = documents;
        this.workloads = workloads;
        this.clock = clock;
        this.findings = findings;
    }

    void check(PolicyDocument doc, ExcludedWorkloadSpec spec) {
        review(doc, spec);
        for (int i = 0; i < spec.getCalls().size(); i++) {
            var call = spec.getCalls().get(i);
            var dot = call.indexOf('.');
            var service = dot < 0 ? call : call.substring(0, dot);
            var namespace = dot < 0 ? doc.namespace() : call.substring(dot + 1);
            for (var labels : calleeLabels(namespace, service)) {
                strict(doc, spec, i, namespace, service, labels);
                allowOnly(doc, spec, namespace, service, labels);
            }
        }
    }

    private void review(PolicyDocument doc, ExcludedWorkloadSpec spec) {
        var review = ExclusionRules.date(spec.getReviewDate());
        var today = LocalDate.now(clock);
        if (review != null && review.isBefore(today)) {
            findings.add(new Finding(Codes.EXCLUSION_REVIEW_OVERDUE, Finding.Severity.WARNING, Analyzer.resource(doc),
                    "spec.reviewDate", "the exclusion of " + spec.getWorkload() + " (owner " + spec.getOwner()
                            + ") was due for review on " + review + ", " + ChronoUnit.DAYS.between(review, today)
                            + " day(s) ago",
                    "review it with its owner: give the workload a sidecar and delete the exclusion, or set a new reviewDate"));
        }
    }

    private List<Map<String, String>> calleeLabels(String namespace, String service) {
        if (workloads != null) {
            var known = workloads.stream().filter(w -> w.namespace().equals(namespace)
                    && (service.equals(w.labels().get("app")) || w.name().equals(service))).map(Workload::labels).toList();
            if (!known.isEmpty()) {
                return known;
            }
        }
        return List.of(Map.of("app", service));
    }

    private void strict(PolicyDocument excluded, ExcludedWorkloadSpec spec, int call, String namespace, String service,
            Map<String, String> labels) {
        var deciding = peerAuthentication(namespace, labels);
        if (deciding.isEmpty() || ((PeerAuthenticationSpec) deciding.get().spec()).getMtls() != MtlsMode.STRICT) {
            return;
        }
        findings.add(new Finding(Codes.EXCLUDED_CALLER_CUT_OFF, Finding.Severity.ERROR, Analyzer.resource(deciding.get()),
                "spec.mtls.mode", "STRICT mTLS refuses the plaintext calls of excluded workload " + spec.getWorkload()
                        + " (" + Analyzer.resource(excluded) + ", spec.calls[" + call + "]) to " + service + "." + namespace,
                "add a PeerAuthentication with selector {app: " + service + "} and mode PERMISSIVE in " + namespace
                        + " while the exclusion lasts, or give " + spec.getWorkload() + " a sidecar"));
    }

    /** The PeerAuthentication that decides the mode for {@code labels}: workload, then namespace, then root. */
    private Optional<PolicyDocument> peerAuthentication(String namespace, Map<String, String> labels) {
        var selected = documents.stream().filter(d -> d.spec() instanceof PeerAuthenticationSpec pa
                && d.namespace().equals(namespace) && pa.getSelector() != null && setsMode(pa)
                && matches(pa.getSelector(), labels)).findFirst();
        return selected.or(() -> namespaceWide(namespace)).or(() -> namespaceWide(ROOT_NAMESPACE));
    }

    private Optional<PolicyDocument> namespaceWide(String namespace) {
        return documents.stream().filter(d -> d.spec() instanceof PeerAuthenticationSpec pa
                && d.namespace().equals(namespace) && pa.getSelector() == null && setsMode(pa)).findFirst();
    }

    private void allowOnly(PolicyDocument excluded, ExcludedWorkloadSpec spec, String namespace, String service,
            Map<String, String> labels) {
        var allows = documents.stream().filter(d -> d.spec() instanceof AuthorizationPolicySpec ap
                && ap.getAction() == AuthorizationAction.ALLOW && !ap.getDryRun()
                && (d.namespace().equals(namespace) || d.namespace().equals(ROOT_NAMESPACE))
                && (ap.getSelector() == null || matches(ap.getSelector(), labels))).toList();
        if (allows.isEmpty() || allows.stream().anyMatch(d -> admitsPlaintext((AuthorizationPolicySpec) d.spec()))) {
            return;
        }
        var first = allows.get(0);
        findings.add(new Finding(Codes.EXCLUDED_CALLER_CUT_OFF, Finding.Severity.ERROR, Analyzer.resource(first),
                "spec.rules", "ALLOW-only authorization of " + service + "." + namespace + " admits no caller without a "
                        + "mesh identity, so it denies excluded workload " + spec.getWorkload() + " ("
                        + Analyzer.resource(excluded) + ")",
                "add a rule without principals or namespaces (e.g. matching " + spec.getWorkload()
                        + "'s paths or ipBlocks), or give " + spec.getWorkload() + " a sidecar"));
    }

    /** A rule admits a caller without a certificate when it asks nothing of the caller's identity. */
    private static boolean admitsPlaintext(AuthorizationPolicySpec ap) {
        if (ap.getRules() == null) {
            return false;
        }
        return ap.getRules().stream().anyMatch(ExclusionChecks::identityFree);
    }

    private static boolean identityFree(AuthorizationRule rule) {
        var fromOk = rule.getFrom().isEmpty() || rule.getFrom().stream()
                .anyMatch(s -> s.getPrincipals().isEmpty() && s.getNamespaces().isEmpty());
        var whenOk = rule.getWhen().stream().noneMatch(c -> c.getKey().startsWith("source.principal")
                || c.getKey().startsWith("source.namespace") || c.getKey().startsWith("request.auth"));
        return fromOk && whenOk;
    }

    private static boolean setsMode(PeerAuthenticationSpec pa) {
        return pa.getMtls() != null && pa.getMtls() != MtlsMode.UNSET;
    }

    private static boolean matches(WorkloadSelector selector, Map<String, String> labels) {
        return labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }
}
