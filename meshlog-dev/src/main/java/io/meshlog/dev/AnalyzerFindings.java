package io.meshlog.dev;

import io.meshlog.console.findings.ConfigFinding;
import io.meshlog.console.findings.FindingsSource;
import io.meshlog.policy.analyze.Analyzer;
import io.meshlog.policy.model.PolicyEvents;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import java.util.List;

/**
 * The console's findings source, backed by policy-service's {@code analyze} (the launcher is the
 * one module allowed to join two services). Workload checks are skipped: the console knows no
 * workload labels.
 */
final class AnalyzerFindings implements FindingsSource {
    private final Analyzer analyzer = new Analyzer(null);

    @Override
    public List<ConfigFinding> analyze(List<PolicyEvent> policies) {
        return analyzer.analyze(policies.stream().map(PolicyEvents::document).toList()).stream()
                .map(AnalyzerFindings::finding).toList();
    }

    /** Analyze names its resource {@code Kind namespace/name}. */
    private static ConfigFinding finding(io.meshlog.policy.analyze.Finding f) {
        var space = f.resource().indexOf(' ');
        var slash = f.resource().indexOf('/', space);
        return new ConfigFinding(f.code(), f.severity().name(), PolicyKind.valueOf(f.resource().substring(0, space)),
                f.resource().substring(space + 1, slash), f.resource().substring(slash + 1), f.path(), f.message(),
                f.hint());
    }
}
