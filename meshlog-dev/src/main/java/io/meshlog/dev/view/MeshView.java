package io.meshlog.dev.view;

import io.meshlog.schemas.v1.AlertState;
import io.meshlog.schemas.v1.BurnRateAlert;
import io.meshlog.schemas.v1.CanaryStatus;
import io.meshlog.schemas.v1.Decision;
import io.meshlog.schemas.v1.EdgeMetrics;
import io.meshlog.schemas.v1.Ejection;
import io.meshlog.schemas.v1.IssuedCertificate;
import io.meshlog.schemas.v1.RetryBudgetState;
import io.meshlog.policy.model.MeshModes;
import io.meshlog.policy.model.MeshScope;
import io.meshlog.schemas.v1.EnforcementMode;
import io.meshlog.schemas.v1.MeshModeSpec;
import io.meshlog.schemas.v1.PolicyEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the live view shows, folded from the mesh's output topics: the latest window of every
 * edge, active ejections, retry budgets, firing alerts, certificate expiries, each Canary's
 * phase and the MeshMode of the mesh and of every namespace that has one. Not
 * thread-safe: one consumer thread folds, and renders a {@link #snapshot()}.
 */
public final class MeshView {
    private final Map<String, EdgeMetrics> edges = new TreeMap<>();
    private final Map<String, Ejection> ejections = new TreeMap<>();
    private final Map<String, RetryBudgetState> budgets = new TreeMap<>();
    private final Map<String, BurnRateAlert> alerts = new TreeMap<>();
    private final Map<String, IssuedCertificate> certificates = new TreeMap<>();
    private final Map<String, PolicyEvent> meshModes = new TreeMap<>();
    private final Map<String, CanaryStatus> canaries = new TreeMap<>();

    public void edge(EdgeMetrics edge) {
        var key = edge.getSource() + "->" + edge.getDestination();
        var known = edges.get(key);
        if (known == null || !edge.getWindowStart().isBefore(known.getWindowStart())) {
            edges.put(key, edge);
        }
    }

    public void decision(String key, Decision decision) {
        if (decision == null) {
            ejections.remove(key);
            budgets.remove(key);
            return;
        }
        if (decision.getPayload() instanceof Ejection ejection) {
            if (ejection.getScope() == io.meshlog.schemas.v1.EjectionScope.LOCAL) {
                return; // one proxy's own view: the console shows those, this view the cluster-wide ones
            }
            if (ejection.getEjected()) {
                ejections.put(key, ejection);
            } else {
                ejections.remove(key);
            }
        } else if (decision.getPayload() instanceof RetryBudgetState budget) {
            budgets.put(budget.getService(), budget);
        }
    }

    public void alert(String key, BurnRateAlert alert) {
        if (alert == null || alert.getState() == AlertState.RESOLVED) {
            alerts.remove(key);
        } else {
            alerts.put(key, alert);
        }
    }

    public void certificate(String proxyId, IssuedCertificate certificate) {
        if (certificate == null) {
            certificates.remove(proxyId);
        } else {
            certificates.put(proxyId, certificate);
        }
    }

    /** A change on the policy topic: MeshModes are kept (a null event is the tombstone of {@code key}). */
    public void policy(String key, PolicyEvent event) {
        if (event == null) {
            meshModes.remove(key);
        } else if (event.getSpec() instanceof MeshModeSpec) {
            meshModes.put(key, event);
        }
    }

    /** The canary controller's latest status of the Canary {@code namespace/name}; null: deleted. */
    public void canary(String key, CanaryStatus status) {
        if (status == null) {
            canaries.remove(key);
        } else {
            canaries.put(key, status);
        }
    }

    /** Per destination service over its edges' latest windows. */
    public record ServiceLine(String service, double requestsPerSecond, double errorRatio, double p99Millis) {}

    /** An immutable picture for rendering. */
    public record Snapshot(
            List<ServiceLine> services,
            List<EdgeMetrics> edges,
            List<Ejection> ejections,
            List<RetryBudgetState> budgets,
            List<BurnRateAlert> alerts,
            List<IssuedCertificate> certificates,
            Map<String, EnforcementMode> modes, List<CanaryStatus> canaries) {}

    public Snapshot snapshot() {
        return new Snapshot(services(), List.copyOf(edges.values()), List.copyOf(ejections.values()),
                List.copyOf(budgets.values()), List.copyOf(alerts.values()),
                List.copyOf(certificates.values()), modes(), List.copyOf(canaries.values()));
    }

    /** The mesh's mode under the root namespace's name, then each namespace with a MeshMode of its own. */
    private Map<String, EnforcementMode> modes() {
        var policies = List.copyOf(meshModes.values());
        var root = MeshScope.DEFAULT_ROOT_NAMESPACE;
        var modes = new TreeMap<String, EnforcementMode>();
        modes.put(root, MeshModes.namespaceMode(policies, root, root));
        policies.forEach(p -> modes.put(p.getNamespace(), MeshModes.namespaceMode(policies, root, p.getNamespace())));
        return Map.copyOf(modes);
    }

    private List<ServiceLine> services() {
        var requests = new TreeMap<String, Double>();
        var errors = new TreeMap<String, Double>();
        var p99 = new TreeMap<String, Double>();
        for (var edge : edges.values()) {
            var seconds = Math.max(1.0, (edge.getWindowEnd().toEpochMilli()
                    - edge.getWindowStart().toEpochMilli()) / 1000.0);
            requests.merge(edge.getDestination(), edge.getRequests() / seconds, Double::sum);
            errors.merge(edge.getDestination(), edge.getErrors5xx() / seconds, Double::sum);
            p99.merge(edge.getDestination(), edge.getP99Millis(), Math::max);
        }
        var lines = new ArrayList<ServiceLine>();
        requests.forEach((service, rate) -> lines.add(new ServiceLine(service, rate,
                rate == 0 ? 0 : errors.get(service) / rate, p99.get(service))));
        return lines;
    }

    /** Certificates that expire before {@code horizon}. */
    public static List<IssuedCertificate> expiringBefore(Snapshot snapshot, Instant horizon) {
        return snapshot.certificates().stream()
                .filter(c -> c.getNotAfter().isBefore(horizon)).toList();
    }
}
