package io.meshlog.policy.analyze;

import io.meshlog.policy.model.PolicyDocument;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.HttpRoute;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import java.util.List;

/** The VirtualService checks: subsets, weights, retry timeouts, non-idempotent retries. */
final class RouteChecks {
    private final PolicyDocument doc;
    private final VirtualServiceSpec vs;
    private final List<PolicyDocument> documents;
    private final List<Finding> findings;

    RouteChecks(PolicyDocument doc, VirtualServiceSpec vs, List<PolicyDocument> documents, List<Finding> findings) {
        this.doc = doc;
        this.vs = vs;
        this.documents = documents;
        this.findings = findings;
    }

    void run() {
        for (int i = 0; i < vs.getHttp().size(); i++) {
            var route = vs.getHttp().get(i);
            var path = "spec.http[" + i + "]";
            subsets(route, path);
            weights(route, path);
            retries(route, path);
        }
    }

    private void subsets(HttpRoute route, String path) {
        for (int d = 0; d < route.getRoute().size(); d++) {
            var destination = route.getRoute().get(d).getDestination();
            if (destination.getSubset() == null) {
                continue;
            }
            var rules = documents.stream().filter(o -> o.spec() instanceof DestinationRuleSpec dr
                    && qualify(dr.getHost(), o.namespace()).equals(qualify(destination.getHost(), doc.namespace())))
                    .map(o -> (DestinationRuleSpec) o.spec()).toList();
            var defined = rules.stream().anyMatch(dr -> dr.getSubsets().stream()
                    .anyMatch(s -> s.getName().equals(destination.getSubset())));
            if (!defined) {
                findings.add(new Finding(Codes.UNKNOWN_SUBSET, Finding.Severity.ERROR, Analyzer.resource(doc),
                        path + ".route[" + d + "].destination.subset",
                        "subset \"" + destination.getSubset() + "\" of host " + destination.getHost() + " is not defined by "
                                + (rules.isEmpty() ? "any DestinationRule" : "its DestinationRule"),
                        "add the subset to the DestinationRule of " + destination.getHost() + ", or fix the subset name"));
            }
        }
    }

    private void weights(HttpRoute route, String path) {
        if (route.getRoute().size() < 2 || route.getRoute().stream().anyMatch(r -> r.getWeight() == null)) {
            return;
        }
        var sum = route.getRoute().stream().mapToInt(r -> r.getWeight()).sum();
        if (sum != 100) {
            findings.add(new Finding(Codes.WEIGHTS, Finding.Severity.ERROR, Analyzer.resource(doc), path + ".route",
                    "weights sum to " + sum + ", not 100", "make the weights of this route's destinations add up to 100"));
        }
    }

    private void retries(HttpRoute route, String path) {
        var retries = route.getRetries();
        if (retries == null || retries.getAttempts() == 0) {
            return;
        }
        if (retries.getPerTryTimeout() != null && route.getTimeout() != null
                && retries.getPerTryTimeout() * retries.getAttempts() > route.getTimeout()) {
            findings.add(new Finding(Codes.RETRY_TIMEOUT, Finding.Severity.WARNING, Analyzer.resource(doc),
                    path + ".retries.perTryTimeout", "perTryTimeout × attempts ("
                            + Analyzer.millis(retries.getPerTryTimeout() * retries.getAttempts())
                            + ") exceeds the route timeout (" + Analyzer.millis(route.getTimeout()) + ")",
                    "lower attempts or perTryTimeout, or raise the timeout"));
        }
        if (retries.getAllowNonIdempotent()) {
            findings.add(new Finding(Codes.NON_IDEMPOTENT_RETRY, Finding.Severity.WARNING, Analyzer.resource(doc),
                    path + ".retries.allowNonIdempotent",
                    "POST and PATCH requests will be retried: a retried request may apply its side effect twice",
                    "retry non-idempotent requests only if the upstream deduplicates them (e.g. idempotency keys)"));
        }
    }

    static String qualify(String host, String namespace) {
        var parts = host.split("\\.");
        return parts.length == 1 ? host + "." + namespace : parts[0] + "." + parts[1];
    }
}
