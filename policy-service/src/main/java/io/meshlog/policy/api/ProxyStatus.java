package io.meshlog.policy.api;

import io.meshlog.policy.model.PolicyEvents;
import io.meshlog.policy.model.SidecarScope;
import io.meshlog.policy.store.PolicyView;
import io.meshlog.policy.store.ProxyView;
import io.meshlog.schemas.v1.PolicyEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Each proxy's applied generations against the policies in force: who lags, on what. A proxy scoped
 * by an Istio Sidecar (its ack says the scope) is expected to hold only the policies in its scope
 * ({@link SidecarScope#holds}), so it never lags on the others and {@code apply --wait} does not wait
 * for it on them.
 */
final class ProxyStatus {
    private ProxyStatus() {}

    static JsonObject render(ProxyView proxies, PolicyView policies) {
        var current = new TreeMap<String, Long>();
        var events = new HashMap<String, PolicyEvent>();
        policies.all().forEach(e -> {
            current.put(PolicyEvents.key(e).toString(), e.getGeneration());
            events.put(PolicyEvents.key(e).toString(), e);
        });
        var items = new JsonArray();
        for (var ack : proxies.all()) {
            var lagging = new JsonArray();
            var scope = ack.getScope() == null ? SidecarScope.UNSCOPED
                    : SidecarScope.of(ack.getNamespace(), ack.getScope().getEgressHosts());
            var root = ack.getScope() == null ? null : ack.getScope().getRootNamespace();
            var keys = new TreeSet<String>();
            current.keySet().stream().filter(key -> scope.holds(events.get(key), ack.getNamespace(), root))
                    .forEach(keys::add);
            keys.addAll(ack.getGenerations().keySet());
            for (var key : keys) {
                var want = current.get(key);
                var have = ack.getGenerations().get(key);
                if (want == null ? have != null : have == null || have < want) {
                    lagging.add(new JsonObject().put("policy", key).put("applied", have).put("current", want));
                }
            }
            var rejected = new JsonArray();
            ack.getRejected().forEach(r -> rejected.add(new JsonObject().put("policy", r.getPolicyKey())
                    .put("generation", r.getGeneration()).put("reason", r.getReason())));
            items.add(new JsonObject().put("proxyId", ack.getProxyId()).put("workload", ack.getWorkload())
                    .put("namespace", ack.getNamespace()).put("snapshotVersion", ack.getSnapshotVersion())
                    .put("appliedAt", ack.getAppliedAt().toString())
                    .put("scope", scope.unscoped() ? null : new JsonArray(scope.entries()))
                    .put("generations", new JsonObject(new TreeMap<String, Object>(ack.getGenerations())))
                    .put("behind", lagging.size()).put("lagging", lagging).put("rejected", rejected));
        }
        return new JsonObject().put("policies", new JsonObject(new TreeMap<String, Object>(current))).put("items", items);
    }
}
