package io.meshlog.policy.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Polls {@code /proxies} until every known proxy applied the given generations, or reports who lags. */
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
            var items = client.get(ApiClient.BASE + "/proxies").body().getJsonArray("items");
            proxies = items.size();
            var list = new ArrayList<JsonObject>();
            for (int i = 0; i < items.size(); i++) {
                list.add(items.getJsonObject(i));
            }
            lagging = lagging(list, wanted);
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

    private static List<String> lagging(List<JsonObject> proxies, Map<String, Long> wanted) {
        var out = new ArrayList<String>();
        for (var proxy : proxies) {
            var generations = proxy.getJsonObject("generations", new JsonObject());
            var behind = new ArrayList<String>();
            wanted.forEach((key, generation) -> {
                var applied = generations.getLong(key);
                if (applied == null || applied < generation) {
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
