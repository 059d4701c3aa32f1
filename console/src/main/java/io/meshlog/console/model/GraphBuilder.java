package io.meshlog.console.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The topology for {@code GET /api/graph}: service nodes and workload nodes (each workload beside
 * the service it serves, grouped by namespace), traffic edges from calling workloads to services
 * with rate, 5xx ratio, p95, health and mTLS, and "serves" lines from a service to its workloads
 * carrying the canary weight of the workload's subset. The page draws the same JSON it lists in
 * its table of nodes and edges.
 */
public final class GraphBuilder {
    private GraphBuilder() {}

    /**
     * @param namespace only nodes of this namespace and the edges touching them; null: all
     */
    public static JsonObject build(MeshModel model, String namespace, TimeWindow window) {
        return model.read(m -> build0(m, namespace, window));
    }

    private static JsonObject build0(MeshModel model, String namespace, TimeWindow window) {
        var span = TrafficWindow.of(model, window);
        var nodes = new LinkedHashMap<String, JsonObject>();
        var inbound = new HashMap<String, EdgeTotals>();
        var edges = new JsonArray();
        var services = new TreeSet<ServiceRef>();
        var namespaces = new TreeSet<String>();
        for (var key : model.edgeKeys()) {
            var ends = MeshModel.splitEdgeKey(key);
            services.add(model.destination(ends[0], ends[1]));
        }
        var servedBy = new HashMap<ServiceRef, java.util.List<MeshModel.Workload>>();
        model.workloads.values().stream().filter(w -> w.service != null).forEach(w -> servedBy
                .computeIfAbsent(ServiceRef.resolve(w.service, w.namespace), k -> new java.util.ArrayList<>()).add(w));
        services.addAll(servedBy.keySet());
        var marks = NodeMarks.of(model, services);

        for (var key : model.edgeKeys()) {
            var ends = MeshModel.splitEdgeKey(key);
            var target = model.destination(ends[0], ends[1]);
            var sourceId = WorkloadIds.id(model, ends[0]);
            var sourceNs = Objects.requireNonNullElse(model.namespaceOf(ends[0]), ServiceRef.UNKNOWN_NAMESPACE);
            namespaces.add(sourceNs);
            namespaces.add(target.namespace());
            if (namespace != null && !namespace.equals(sourceNs) && !namespace.equals(target.namespace())) {
                continue;
            }
            var totals = span.isEmpty() ? EdgeTotals.NONE : model.edges.get(key).totals(span.from(), span.to());
            inbound.merge(target.id(), totals, EdgeTotals::plus);
            nodes.computeIfAbsent(sourceId, id -> workloadNode(model, id, ends[0], marks));
            edges.add(trafficEdge(key, sourceId, target.id(), totals, span, model.edgeMtls.get(key)));
        }
        for (var service : services) {
            namespaces.add(service.namespace());
            if (namespace == null || namespace.equals(service.namespace())) {
                addServiceAndWorkloads(model, service, servedBy.getOrDefault(service, java.util.List.of()), nodes, edges,
                        marks);
            }
        }
        // Nodes an edge reaches in another namespace are drawn too, so no edge hangs loose.
        for (var edge : edges) {
            var target = ((JsonObject) edge).getString("target");
            if (!nodes.containsKey(target) && target.startsWith("svc:")) {
                var slash = target.indexOf('/');
                var service = new ServiceRef(target.substring(4, slash), target.substring(slash + 1));
                nodes.put(target, serviceNode(service, marks, model));
            }
        }
        for (var node : nodes.values()) {
            if ("service".equals(node.getString("kind"))) {
                health(node, inbound.getOrDefault(node.getString("id"), EdgeTotals.NONE), span);
            }
        }
        return new JsonObject().put("window", window.label()).put("namespace", namespace)
                .put("from", span.isEmpty() ? null : Instant.ofEpochMilli(span.from()).toString())
                .put("to", span.isEmpty() ? null : Instant.ofEpochMilli(span.to()).toString())
                .put("namespaces", new JsonArray(namespaces.stream().toList()))
                .put("nodes", new JsonArray(nodes.values().stream().toList())).put("edges", edges)
                .put("version", model.version());
    }

    private static void addServiceAndWorkloads(MeshModel model, ServiceRef service,
            java.util.List<MeshModel.Workload> workloads, Map<String, JsonObject> nodes, JsonArray edges, NodeMarks marks) {
        nodes.computeIfAbsent(service.id(), id -> serviceNode(service, marks, model));
        var weights = CanaryWeights.of(service, model.policies.values());
        for (var w : workloads) {
            var wid = WorkloadIds.id(model, w.name);
            nodes.computeIfAbsent(wid, id -> workloadNode(model, id, w.name, marks));
            edges.add(new JsonObject().put("id", service.id() + "=>" + wid).put("kind", "serves")
                    .put("source", service.id()).put("target", wid).put("subset", w.subset)
                    .put("weight", w.subset == null ? null : weights.get(w.subset)));
        }
    }

    private static JsonObject serviceNode(ServiceRef service, NodeMarks marks, MeshModel model) {
        var budget = model.budgets.get(service.name());
        return new JsonObject().put("id", service.id()).put("kind", "service").put("namespace", service.namespace())
                .put("name", service.name()).put("ejections", marks.ejections(service.id()))
                .put("alerts", marks.alerts(service.id())).put("findings", marks.findings(service.id()))
                .put("retryBudget", budget == null ? null : new JsonObject().put("remaining", budget.getRemaining())
                        .put("allowed", budget.getAllowedRetries()).put("exhausted", budget.getExhausted()));
    }

    private static JsonObject workloadNode(MeshModel model, String id, String name, NodeMarks marks) {
        var w = model.workloads.get(name);
        var ejections = marks.ejections(id);
        return new JsonObject().put("id", id).put("kind", "workload")
                .put("namespace", Objects.requireNonNullElse(model.namespaceOf(name), ServiceRef.UNKNOWN_NAMESPACE))
                .put("name", name).put("service", w == null ? null : w.service).put("subset", w == null ? null : w.subset)
                .put("health", ejections.isEmpty() ? Health.HEALTHY.name() : Health.FAILURE.name())
                .put("ejections", ejections).put("alerts", new JsonArray()).put("findings", new JsonArray());
    }

    private static JsonObject trafficEdge(String key, String source, String target, EdgeTotals t, TrafficWindow span,
            Boolean mtls) {
        var edge = new JsonObject().put("id", key).put("kind", "traffic").put("source", source).put("target", target)
                .put("requests", t.requests()).put("mtls", mtls);
        return metrics(edge, t, span);
    }

    private static void health(JsonObject node, EdgeTotals inbound, TrafficWindow span) {
        metrics(node, inbound, span);
    }

    static JsonObject metrics(JsonObject target, EdgeTotals t, TrafficWindow span) {
        return target.put("rps", NodeMarks.round(t.requests() / span.seconds()))
                .put("errorRatio", Math.round(t.errorRatio() * 100_000) / 100_000.0)
                .put("p95", NodeMarks.round(t.p95())).put("health", t.health().name());
    }
}
