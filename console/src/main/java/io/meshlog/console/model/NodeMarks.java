package io.meshlog.console.model;

import io.meshlog.schemas.v1.AlertState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the graph marks on its nodes: ejections, cluster-wide or by one proxy (on the workload
 * behind the endpoint and counted on its service), firing burn-rate alerts (on the SLO's service) and config findings
 * (on the services their policy concerns). Built under the model's lock.
 */
final class NodeMarks {
    final Map<String, JsonArray> ejections = new HashMap<>();
    final Map<String, JsonArray> alerts = new HashMap<>();
    final Map<String, JsonArray> findings = new HashMap<>();

    static NodeMarks of(MeshModel model, Set<ServiceRef> services) {
        var marks = new NodeMarks();
        for (var e : model.ejectionsInForce()) {
            var workload = model.workloadAt(e.getService(), e.getEndpoint());
            var json = new JsonObject().put("service", e.getService()).put("endpoint", e.getEndpoint())
                    .put("workload", workload).put("reason", e.getReason().name())
                    .put("ejectionCount", e.getEjectionCount())
                    .put("until", e.getUntil() == null ? null : e.getUntil().toString())
                    .put("detail", e.getDetail()).put("scope", MeshModel.isLocal(e) ? "local" : "cluster")
                    .put("proxyId", e.getProxyId());
            var ref = ServiceRef.resolve(e.getService(), workload == null ? null : model.namespaceOf(workload));
            marks.add(marks.ejections, ref.id(), json);
            if (workload != null) {
                marks.add(marks.ejections, WorkloadIds.id(model, workload), json);
            }
        }
        for (var a : model.alerts.values()) {
            if (a.getState() == AlertState.FIRING) {
                var ref = ServiceRef.resolve(a.getService(), a.getSloNamespace());
                marks.add(marks.alerts, ref.id(), new JsonObject().put("slo", a.getSloNamespace() + "/" + a.getSloName())
                        .put("severity", a.getSeverity().name()).put("longBurnRate", round(a.getLongBurnRate()))
                        .put("shortBurnRate", round(a.getShortBurnRate())).put("threshold", a.getThreshold()));
            }
        }
        for (var f : model.findings) {
            var policy = model.policies.get(f.policyKey());
            var json = new JsonObject().put("code", f.code()).put("severity", f.severity())
                    .put("policy", f.policyKey()).put("path", f.path()).put("message", f.message()).put("hint", f.hint());
            List<ServiceRef> targets = policy == null ? List.of() : List.copyOf(PolicyTargets.of(policy, services));
            for (var target : targets) {
                marks.add(marks.findings, target.id(), json);
            }
        }
        return marks;
    }

    JsonArray ejections(String nodeId) {
        return ejections.getOrDefault(nodeId, new JsonArray());
    }

    JsonArray alerts(String nodeId) {
        return alerts.getOrDefault(nodeId, new JsonArray());
    }

    JsonArray findings(String nodeId) {
        return findings.getOrDefault(nodeId, new JsonArray());
    }

    private void add(Map<String, JsonArray> map, String id, JsonObject value) {
        map.computeIfAbsent(id, k -> new JsonArray()).add(value);
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
