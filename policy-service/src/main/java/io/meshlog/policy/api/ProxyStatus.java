package io.meshlog.policy.api;

import io.meshlog.policy.model.PolicyEvents;
import io.meshlog.policy.store.PolicyView;
import io.meshlog.policy.store.ProxyView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.TreeMap;
import java.util.TreeSet;

/** Each proxy's applied generations against the policies in force: who lags, on what. */
final class ProxyStatus {
    private ProxyStatus() {}

    static JsonObject render(ProxyView proxies, PolicyView policies) {
        var current = new TreeMap<String, Long>();
        policies.all().forEach(e -> current.put(PolicyEvents.key(e).toString(), e.getGeneration()));
        var items = new JsonArray();
        for (var ack : proxies.all()) {
            var lagging = new JsonArray();
            var keys = new TreeSet<String>(current.keySet());
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
                    .put("generations", new JsonObject(new TreeMap<String, Object>(ack.getGenerations())))
                    .put("behind", lagging.size()).put("lagging", lagging).put("rejected", rejected));
        }
        return new JsonObject().put("policies", new JsonObject(new TreeMap<String, Object>(current))).put("items", items);
    }
}
