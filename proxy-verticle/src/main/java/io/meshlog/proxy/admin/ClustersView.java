package io.meshlog.proxy.admin;

import io.meshlog.proxy.resilience.ClusterRegistry;
import io.meshlog.proxy.resilience.ClusterRetryBudgets;
import io.meshlog.proxy.resilience.Ejection;
import io.meshlog.proxy.resilience.EjectionView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.TreeMap;

/**
 * Renders {@code /clusters}: every known endpoint with labels, health, ejection state on each side
 * (local/cluster; {@code ejectedBy}: none, local, cluster or both) and why, requests active and pending,
 * per service the local retry budget and the mesh-wide one ({@code clusterRetryBudget}: remaining,
 * exhausted, this proxy's share and what it may still spend), and the telemetry drop count.
 */
final class ClustersView {
    private ClustersView() {}

    static JsonObject render(ClusterRegistry clusters, EjectionView ejections, ClusterRetryBudgets retryBudgets,
            long telemetryDropped) {
        var array = new JsonArray();
        clusters.all().stream().sorted(Comparator.comparing(c -> c.service())).forEach(cluster -> {
            var endpoints = new JsonArray();
            for (var state : cluster.endpoints()) {
                var local = ejections.local().ejection(cluster.service(), state);
                var global = ejections.cluster().ejection(cluster.service(), state);
                endpoints.add(new JsonObject().put("address", state.address()).put("workload", state.endpoint().workload())
                        .put("labels", new JsonObject(new TreeMap<String, Object>(state.endpoint().labels())))
                        .put("health", local == null && global == null ? "healthy" : "ejected")
                        .put("ejectedBy", ejectedBy(local, global))
                        .put("ejection", new JsonObject().put("local", ejection(local)).put("cluster", ejection(global)))
                        .put("activeRequests", state.active()).put("requests", state.requests()).put("errors", state.errors()));
            }
            var breakers = new java.util.ArrayList<>(cluster.subsetBreakers().values());
            breakers.add(cluster.breaker());
            var budget = cluster.retryBudget();
            // the service's totals over its own breaker and its subsets' (each listed under "subsets")
            array.add(new JsonObject().put("service", cluster.service())
                    .put("activeRequests", breakers.stream().mapToInt(b -> b.active()).sum())
                    .put("pendingRequests", breakers.stream().mapToInt(b -> b.pending()).sum())
                    .put("overflows", breakers.stream().mapToLong(b -> b.overflows()).sum())
                    .put("retryBudget", new JsonObject().put("activeRequests", budget.activeRequests())
                            .put("activeRetries", budget.activeRetries()).put("refused", budget.refused()))
                    .put("subsets", subsetBreakers(cluster))
                    .put("clusterRetryBudget", clusterBudget(retryBudgets, cluster.service()))
                    .put("endpoints", endpoints));
        });
        return new JsonObject().put("clusters", array).put("telemetryDropped", telemetryDropped);
    }

    /** Each subset's own breaker counters (Envoy keeps a cluster, with its breaker, per subset). */
    private static JsonObject subsetBreakers(io.meshlog.proxy.resilience.Cluster cluster) {
        var subsets = new JsonObject();
        new TreeMap<>(cluster.subsetBreakers()).forEach((name, breaker) -> subsets.put(name, new JsonObject()
                .put("activeRequests", breaker.active()).put("pendingRequests", breaker.pending())
                .put("overflows", breaker.overflows())));
        return subsets;
    }

    /** The pipeline's mesh-wide budget and this proxy's share of it; null when none is in force. */
    private static JsonObject clusterBudget(ClusterRetryBudgets budgets, String service) {
        var state = budgets == null ? null : budgets.state(service);
        if (state == null) {
            return null;
        }
        return new JsonObject().put("remaining", state.remaining()).put("exhausted", state.exhausted())
                .put("allowedRetries", state.allowedRetries()).put("originalRequests", state.originalRequests())
                .put("window", state.window().toString()).put("decidedAt", state.decidedAt().toString())
                .put("share", Math.round(state.share() * 1000) / 1000.0).put("spent", state.spent())
                .put("left", state.left());
    }

    /** {@code none}, {@code local}, {@code cluster} or {@code both}: which side keeps the endpoint out. */
    private static String ejectedBy(Ejection local, Ejection global) {
        if (local != null && global != null) {
            return "both";
        }
        return local != null ? "local" : global != null ? "cluster" : "none";
    }

    private static JsonObject ejection(Ejection ejection) {
        if (ejection == null) {
            return null;
        }
        return new JsonObject().put("side", ejection.side().name().toLowerCase(java.util.Locale.ROOT))
                .put("reason", ejection.reason()).put("since", ejection.since().toString())
                .put("until", ejection.until().toString()).put("times", ejection.times());
    }
}
