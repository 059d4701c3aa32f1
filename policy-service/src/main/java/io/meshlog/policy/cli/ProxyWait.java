package io.meshlog.policy.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Polls {@code /proxies} until every known proxy applied the given generations, or reports who lags.
 * A proxy scoped by a Sidecar ({@code scope} in its item) is waited for only on the policies the
 * server lists as lagging for it: the others are outside its scope and it will never hold them.
 */
final class ProxyWait {
    private static final Duration POLL = Duration.ofMillis(200);

    private final ApiClient client;
    private final Duration timeout;

    ProxyWait(ApiClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** True when every proxy caught up within the timeout. */
    boolean await(Map<String, Long> wanted, PrintWriter out, PrintWriter err) {
        var deadline = System.nanoTime() + timeout.toNanos();
        List<String> lagging;
        int proxies;
        while (true) {
            var body = client.get(ApiClient.BASE + "/proxies").body();
            var items = body.getJsonArray("items");
            proxies = items.size();
            var list = new ArrayList<JsonObject>();
            for (int i = 0; i < items.size(); i++) {
                list.add(items.getJsonObject(i));
            }
            var pending = lagging(list, wanted);
            // scoped proxies are judged by the server's view of the policies: it must have read them first
            var known = body.getJsonObject("policies", new JsonObject());
            wanted.forEach((key, generation) -> {
                var read = known.getLong(key);
                if (read == null || read < generation) {
                    list.stream().filter(p -> p.getJsonArray("scope") != null).findFirst().ifPresent(p ->
                            pending.add("policy-service: has not read " + key + " generation " + generation + " yet"));
                }
            });
            lagging = pending;
            if (lagging.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted while waiting for proxies");
            }
        }
        if (lagging.isEmpty()) {
            out.println(proxies == 0 ? "no proxies are known: nothing to wait for"
                    : "all " + proxies + " proxies applied the new generations");
            out.flush();
            return true;
        }
        err.println("error: " + lagging.size() + " of " + proxies + " proxies did not apply the new generations within " + timeout.toSeconds() + "s:");
        lagging.forEach(line -> err.println("  " + line));
        err.flush();
        return false;
    }

    /** Unscoped: every key; scoped: the keys the server says the proxy lags on (it expects them). */
    private static java.util.function.Predicate<String> inScope(JsonObject proxy) {
        if (proxy.getJsonArray("scope") == null) {
            return key -> true;
        }
        var expected = new java.util.HashSet<String>();
        var lagging = proxy.getJsonArray("lagging", new io.vertx.core.json.JsonArray());
        for (int i = 0; i < lagging.size(); i++) {
            expected.add(lagging.getJsonObject(i).getString("policy"));
        }
        var generations = proxy.getJsonObject("generations", new JsonObject());
        return key -> expected.contains(key) || generations.containsKey(key);
    }

    private static List<String> lagging(List<JsonObject> proxies, Map<String, Long> wanted) {
        var out = new ArrayList<String>();
        for (var proxy : proxies) {
            var generations = proxy.getJsonObject("generations", new JsonObject());
            var behind = new ArrayList<String>();
            var inScope = inScope(proxy);
            wanted.forEach((key, generation) -> {
                var applied = generations.getLong(key);
                if ((applied == null || applied < generation) && inScope.test(key)) {
                    behind.add(key + " at " + (applied == null ? "none" : applied) + ", want " + generation);
                }
            });
            var rejected = proxy.getJsonArray("rejected");
            for (int i = 0; rejected != null && i < rejected.size(); i++) {
                var r = rejected.getJsonObject(i);
                if (wanted.containsKey(r.getString("policy"))) {
                    behind.add(r.getString("policy") + " rejected: " + r.getString("reason"));
                }
            }
            if (!behind.isEmpty()) {
                out.add(proxy.getString("proxyId") + " (" + proxy.getString("namespace") + "/" + proxy.getString("workload")
                        + "): " + String.join("; ", behind));
            }
        }
        return out;
    }
}
