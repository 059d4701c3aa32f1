package io.meshlog.console.model;

import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.ServiceLevelObjectiveSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One service for {@code GET /api/services/{ns}/{name}}: golden signals per pipeline window, its
 * inbound and outbound edges, its workloads and endpoints with their ejections (cluster-wide and local),
 * its retry budget, its SLOs with the latest burn rates, and the policies that concern it with
 * their generations and the proxies that applied them.
 */
public final class ServiceDetailBuilder {
    private ServiceDetailBuilder() {}

    /** The service, or empty when the console has never seen it. */
    public static Optional<JsonObject> build(MeshModel model, ServiceRef service, TimeWindow window) {
        return model.read(m -> Optional.ofNullable(build0(m, service, window)));
    }

    private static JsonObject build0(MeshModel model, ServiceRef service, TimeWindow window) {
        var graph = GraphBuilder.build(model, null, window);
        var node = graph.getJsonArray("nodes").stream().map(JsonObject.class::cast)
                .filter(n -> n.getString("id").equals(service.id())).findFirst().orElse(null);
        if (node == null) {
            return null;
        }
        var workloadIds = new TreeSet<String>();
        var inbound = new JsonArray();
        var outbound = new JsonArray();
        var workloads = new JsonArray();
        for (var o : graph.getJsonArray("edges")) {
            var edge = (JsonObject) o;
            if ("serves".equals(edge.getString("kind")) && edge.getString("source").equals(service.id())) {
                workloadIds.add(edge.getString("target"));
                workloads.add(edge);
            }
        }
        for (var o : graph.getJsonArray("edges")) {
            var edge = (JsonObject) o;
            if ("traffic".equals(edge.getString("kind"))) {
                if (edge.getString("target").equals(service.id())) {
                    inbound.add(edge);
                } else if (workloadIds.contains(edge.getString("source"))) {
                    outbound.add(edge);
                }
            }
        }
        return new JsonObject().put("service", node).put("window", window.label())
                .put("series", series(model, service, window)).put("inbound", inbound).put("outbound", outbound)
                .put("workloads", workloads).put("endpoints", endpoints(model, service))
                .put("slos", slos(model, service)).put("policies", policies(model, service, graph))
                .put("canaries", canaries(model, service));
    }

    /** The canary controller's view of each Canary of {@code service}: phase, step, weight, counts, why it failed. */
    private static JsonArray canaries(MeshModel model, ServiceRef service) {
        var out = new JsonArray();
        for (var c : model.canaries.values()) {
            if (!ServiceRef.resolve(c.getService(), c.getNamespace()).equals(service)) {
                continue;
            }
            var reason = c.getRollbackReason();
            out.add(new JsonObject().put("name", c.getNamespace() + "/" + c.getName()).put("phase", c.getPhase().name())
                    .put("step", c.getStep() + 1).put("steps", c.getSteps()).put("weight", c.getCanaryWeight())
                    .put("failedChecks", c.getFailedChecks()).put("paused", c.getPaused())
                    .put("routeAcknowledged", c.getRouteAcknowledged())
                    .put("canary", stepMetrics(c.getCanary())).put("stable", stepMetrics(c.getStable()))
                    .put("rollbackReason", reason == null ? null : new JsonObject().put("metric", reason.getMetric())
                            .put("value", reason.getValue()).put("threshold", reason.getThreshold())
                            .put("requests", reason.getRequests()))
                    .put("message", c.getMessage()));
        }
        return out;
    }

    private static JsonObject stepMetrics(io.meshlog.schemas.v1.CanaryStepMetrics m) {
        return new JsonObject().put("requests", m.getRequests()).put("failures", m.getFailures())
                .put("successRate", m.getSuccessRate() == null ? null : NodeMarks.round(m.getSuccessRate()))
                .put("p99", m.getP99Millis() == null ? null : NodeMarks.round(m.getP99Millis()));
    }

    /** Golden signals per pipeline window over every edge into the service, oldest first. */
    private static JsonArray series(MeshModel model, ServiceRef service, TimeWindow window) {
        var span = TrafficWindow.of(model, window);
        var byStart = new TreeMap<Long, EdgeTotals>();
        var lengths = new TreeMap<Long, Long>();
        if (!span.isEmpty()) {
            for (var key : model.edgeKeys()) {
                var ends = MeshModel.splitEdgeKey(key);
                if (!model.destination(ends[0], ends[1]).equals(service)) {
                    continue;
                }
                for (var w : model.edges.get(key).since(span.from())) {
                    var t = new EdgeTotals(w.requests(), w.errors4xx(), w.errors5xx(), w.retries(), w.p50(), w.p95(),
                            w.p99());
                    byStart.merge(w.start(), t, EdgeTotals::plus);
                    lengths.put(w.start(), w.end() - w.start());
                }
            }
        }
        var out = new JsonArray();
        byStart.forEach((start, t) -> out.add(new JsonObject().put("start", Instant.ofEpochMilli(start).toString())
                .put("rps", NodeMarks.round(t.requests() * 1000.0 / lengths.get(start)))
                .put("errorRatio", Math.round(t.errorRatio() * 100_000) / 100_000.0)
                .put("p50", NodeMarks.round(t.p50())).put("p95", NodeMarks.round(t.p95()))
                .put("p99", NodeMarks.round(t.p99()))));
        return out;
    }

    private static JsonArray endpoints(MeshModel model, ServiceRef service) {
        var out = new JsonArray();
        var prefix = service.name() + "/";
        var inForce = model.ejectionsInForce();
        new TreeMap<>(model.endpointWorkload).forEach((key, workload) -> {
            if (!key.startsWith(prefix)) {
                return;
            }
            var endpoint = key.substring(prefix.length());
            var ejection = model.ejections.get("ejection/" + service.name() + "/" + endpoint);
            var local = new JsonArray();
            for (var e : inForce) {
                if (MeshModel.isLocal(e) && e.getService().equals(service.name()) && e.getEndpoint().equals(endpoint)) {
                    local.add(new JsonObject().put("proxyId", e.getProxyId()).put("reason", e.getReason().name())
                            .put("ejectionCount", e.getEjectionCount())
                            .put("until", e.getUntil() == null ? null : e.getUntil().toString())
                            .put("detail", e.getDetail()));
                }
            }
            out.add(new JsonObject().put("endpoint", endpoint).put("workload", workload).put("localEjections", local)
                    .put("ejected", ejection != null)
                    .put("reason", ejection == null ? null : ejection.getReason().name())
                    .put("ejectionCount", ejection == null ? null : ejection.getEjectionCount())
                    .put("until", ejection == null || ejection.getUntil() == null ? null : ejection.getUntil().toString())
                    .put("detail", ejection == null ? null : ejection.getDetail()));
        });
        return out;
    }

    private static JsonArray slos(MeshModel model, ServiceRef service) {
        var out = new JsonArray();
        for (var policy : model.policies.values()) {
            if (!(policy.getSpec() instanceof ServiceLevelObjectiveSpec slo)
                    || !ServiceRef.resolve(slo.getService(), policy.getNamespace()).equals(service)) {
                continue;
            }
            var alerts = new JsonArray();
            for (var a : model.alerts.values()) {
                if (a.getSloNamespace().equals(policy.getNamespace()) && a.getSloName().equals(policy.getName())) {
                    alerts.add(new JsonObject().put("severity", a.getSeverity().name()).put("state", a.getState().name())
                            .put("longWindowSeconds", a.getLongWindowMillis() / 1000)
                            .put("shortWindowSeconds", a.getShortWindowMillis() / 1000)
                            .put("longBurnRate", NodeMarks.round(a.getLongBurnRate()))
                            .put("shortBurnRate", NodeMarks.round(a.getShortBurnRate()))
                            .put("threshold", a.getThreshold())
                            .put("errorBudgetRemaining", NodeMarks.round(a.getErrorBudgetRemaining())));
                }
            }
            out.add(new JsonObject().put("name", policy.getNamespace() + "/" + policy.getName())
                    .put("target", slo.getTarget()).put("windowDays", slo.getWindow() / 86_400_000.0)
                    .put("alerts", alerts));
        }
        return out;
    }

    private static JsonArray policies(MeshModel model, ServiceRef service, JsonObject graph) {
        var known = new ArrayList<ServiceRef>();
        for (var o : graph.getJsonArray("nodes")) {
            var n = (JsonObject) o;
            if ("service".equals(n.getString("kind"))) {
                known.add(new ServiceRef(n.getString("namespace"), n.getString("name")));
            }
        }
        var out = new JsonArray();
        model.policies.forEach((key, policy) -> {
            if (PolicyTargets.of(policy, known).contains(service)) {
                out.add(policy(model, key, policy));
            }
        });
        return out;
    }

    private static JsonObject policy(MeshModel model, String key, PolicyEvent policy) {
        List<String> acked = new ArrayList<>();
        List<String> behind = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        for (var ack : model.acks.values()) {
            var generation = ack.getGenerations().get(key);
            if (ack.getRejected().stream().anyMatch(r -> r.getPolicyKey().equals(key)
                    && r.getGeneration() == policy.getGeneration())) {
                rejected.add(ack.getProxyId());
            } else if (generation != null && generation >= policy.getGeneration()) {
                acked.add(ack.getProxyId());
            } else if (generation != null) {
                behind.add(ack.getProxyId());
            }
        }
        return new JsonObject().put("key", key).put("kind", policy.getKind().name())
                .put("namespace", policy.getNamespace()).put("name", policy.getName())
                .put("generation", policy.getGeneration()).put("author", policy.getAuthor())
                .put("time", policy.getTime().toString()).put("ackedBy", new JsonArray(acked))
                .put("behind", new JsonArray(behind)).put("rejectedBy", new JsonArray(rejected));
    }
}
