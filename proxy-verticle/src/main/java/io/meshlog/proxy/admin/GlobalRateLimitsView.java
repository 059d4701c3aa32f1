package io.meshlog.proxy.admin;

import io.meshlog.proxy.ratelimit.GlobalRateLimiter;
import io.meshlog.proxy.ratelimit.GlobalRateLimits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;

/**
 * The {@code globalRateLimits} part of {@code /clusters}: per global limit this proxy applies, the
 * limit, this proxy's share and how many proxies share it, and whether the shared counters are
 * reachable ({@code counters}: {@code reachable}, or {@code unreachable} with the failure mode that
 * decides meanwhile, the time since the last successful exchange and the last error; an exchange
 * that hangs on Hazelcast has no error yet).
 */
final class GlobalRateLimitsView {
    private GlobalRateLimitsView() {}

    static JsonArray render(GlobalRateLimits limits) {
        var array = new JsonArray();
        if (limits == null) {
            return array;
        }
        limits.all().stream().sorted(Comparator.comparing(GlobalRateLimiter::key)).forEach(limiter -> {
            var spec = limiter.spec();
            boolean unavailable = limiter.unavailable();
            array.add(new JsonObject().put("policy", limiter.key())
                    .put("requestsPerUnit", spec.requestsPerUnit()).put("unit", spec.unit().toString())
                    .put("failureMode", spec.failureMode().name()).put("shadow", spec.shadow())
                    .put("counters", unavailable ? "unreachable" : "reachable")
                    .put("applying", unavailable ? spec.failureMode().name() : "SHARE")
                    .put("sharePerSecond", Math.round(limiter.share() * 100) / 100.0).put("peers", limiter.peers())
                    .put("admitted", limiter.admitted()).put("limited", limiter.limited())
                    .put("failureModeDecisions", limiter.failureModeDecisions())
                    .put("millisSinceLastExchange", limiter.millisSinceLastExchange())
                    .put("lastError", limiter.lastError()));
        });
        return array;
    }
}
