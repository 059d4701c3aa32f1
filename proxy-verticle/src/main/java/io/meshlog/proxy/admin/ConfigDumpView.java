package io.meshlog.proxy.admin;

import io.meshlog.proxy.ratelimit.GlobalRateLimiter;
import io.meshlog.proxy.ratelimit.TokenBucket;
import io.meshlog.proxy.resilience.ClusterPolicy;
import io.meshlog.proxy.resilience.HashPolicy;
import io.meshlog.proxy.resilience.TrafficSettings;
import io.meshlog.proxy.route.HeaderOps;
import io.meshlog.proxy.route.RouteHeaders;
import io.meshlog.proxy.route.RouteRule;
import io.meshlog.proxy.snapshot.MeshSnapshot;
import io.meshlog.proxy.snapshot.RateLimitRule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.TreeMap;

/** Renders a snapshot as the {@code /config_dump} JSON: every policy with its generation, routes, clusters, limits. */
final class ConfigDumpView {
    private ConfigDumpView() {}

    static JsonObject render(MeshSnapshot snapshot) {
        var policies = new JsonArray();
        new TreeMap<>(snapshot.generations()).forEach((key, generation) ->
                policies.add(new JsonObject().put("key", key).put("generation", generation)));
        var rejected = new JsonArray();
        snapshot.rejected().forEach(r -> rejected.add(new JsonObject().put("key", r.key())
                .put("generation", r.generation()).put("reason", r.reason())));
        var routes = new JsonObject();
        new TreeMap<>(snapshot.routes()).forEach((host, hostRoutes) -> {
            var list = new JsonArray();
            hostRoutes.routes().forEach(route -> list.add(route(route)));
            routes.put(host, new JsonObject().put("source", hostRoutes.source()).put("routes", list));
        });
        var clusters = new JsonObject();
        new TreeMap<>(snapshot.clusters()).forEach((service, policy) -> clusters.put(service, cluster(policy)));
        var endpoints = new JsonObject();
        new TreeMap<>(snapshot.endpoints()).forEach((service, list) -> {
            var array = new JsonArray();
            list.forEach(e -> array.add(new JsonObject().put("address", e.address()).put("servicePort", e.servicePort())
                    .put("workload", e.workload())
                    .put("labels", new JsonObject(new TreeMap<String, Object>(e.labels())))));
            endpoints.put(service, array);
        });
        var routeLimits = new JsonObject();
        snapshot.routeLimits().forEach((route, limits) -> routeLimits.put(route, limits(limits)));
        return new JsonObject().put("version", snapshot.version()).put("mode", snapshot.mode().name()).put("policies", policies).put("rejected", rejected)
                .put("routes", routes).put("clusters", clusters)
                .put("meshWideCluster", snapshot.meshWide() == null ? null : cluster(snapshot.meshWide()))
                .put("endpoints", endpoints)
                .put("rateLimits", new JsonObject().put("listener", limits(snapshot.listenerLimits())).put("routes", routeLimits));
    }

    private static JsonObject route(RouteRule route) {
        var destinations = new JsonArray();
        route.destinations().forEach(d -> destinations.add(new JsonObject().put("service", d.service())
                .put("subset", d.subset()).put("weight", d.weight()).put("port", d.port() == 0 ? null : d.port())
                .put("headers", headers(d.headers()))));
        var retry = route.retry();
        var json = new JsonObject().put("name", route.name()).put("matches", route.matches().size())
                .put("headers", headers(route.headers()));
        if (route.rewrite() != null) {
            var rewrite = route.rewrite();
            json.put("rewrite", new JsonObject().put("uri", rewrite.uri()).put("authority", rewrite.authority())
                    .put("uriRegex", rewrite.pattern() == null ? null : rewrite.pattern().pattern())
                    .put("uriRegexReplacement", rewrite.replacement()));
        }
        if (route.redirect() != null) {
            var redirect = route.redirect();
            json.put("redirect", new JsonObject().put("uri", redirect.uri()).put("authority", redirect.authority())
                    .put("scheme", redirect.scheme()).put("port", redirect.port() == 0 ? null : redirect.port())
                    .put("redirectCode", redirect.code()));
        }
        return json
                .put("destinations", destinations).put("timeoutMs", route.timeout().toMillis())
                .put("retries", new JsonObject().put("attempts", retry.attempts())
                        .put("perTryTimeoutMs", retry.perTryTimeout().toMillis())
                        .put("retryOn", new JsonArray(retry.retryOn().stream().map(r -> r.istioName()).sorted().toList()))
                        .put("retriableStatusCodes", new JsonArray(retry.retriableStatusCodes().stream().sorted().toList()))
                        .put("allowNonIdempotent", retry.allowNonIdempotent()))
                .put("fault", new JsonObject().put("delayPercentage", route.fault().delayPercentage())
                        .put("delayMs", route.fault().delay().toMillis())
                        .put("abortPercentage", route.fault().abortPercentage())
                        .put("abortStatus", route.fault().abortStatus()));
    }

    private static JsonObject headers(RouteHeaders headers) {
        return new JsonObject().put("request", ops(headers.request())).put("response", ops(headers.response()));
    }

    private static JsonObject ops(HeaderOps ops) {
        return new JsonObject().put("set", new JsonObject(new TreeMap<String, Object>(ops.set())))
                .put("add", new JsonObject(new TreeMap<String, Object>(ops.add()))).put("remove", new JsonArray(ops.remove()));
    }

    private static JsonObject hash(HashPolicy hash) {
        if (hash == null) {
            return null;
        }
        return new JsonObject().put("key", hash.key().name()).put("name", hash.name()).put("cookiePath", hash.cookiePath())
                .put("cookieTtlMs", hash.cookieTtl() == null ? null : hash.cookieTtl().toMillis())
                .put("minimumRingSize", hash.minimumRingSize());
    }

    private static JsonObject cluster(ClusterPolicy policy) {
        var subsets = new JsonObject();
        new TreeMap<>(policy.subsets()).forEach((name, subset) -> subsets.put(name,
                traffic(subset.traffic()).put("labels", new JsonObject(new TreeMap<String, Object>(subset.labels())))
                        .put("own", new JsonArray(subset.ownGroups().stream().sorted().toList()))));
        return traffic(policy.traffic()).put("source", policy.source()).put("subsets", subsets);
    }

    private static JsonObject traffic(TrafficSettings traffic) {
        var pool = traffic.pool();
        var outlier = traffic.outlier();
        return new JsonObject().put("loadBalancer", traffic.loadBalancer().name())
                .put("consistentHash", hash(traffic.hashPolicy()))
                .put("connectionPool", new JsonObject().put("maxConnections", pool.maxConnections())
                        .put("http1MaxPendingRequests", pool.http1MaxPendingRequests())
                        .put("http2MaxRequests", pool.http2MaxRequests())
                        .put("maxRequestsPerConnection", pool.maxRequestsPerConnection()))
                .put("outlierDetection", new JsonObject().put("enabled", outlier.enabled())
                        .put("consecutive5xxErrors", outlier.consecutive5xxErrors())
                        .put("consecutiveGatewayErrors", outlier.consecutiveGatewayErrors())
                        .put("intervalMs", outlier.interval().toMillis())
                        .put("baseEjectionTimeMs", outlier.baseEjectionTime().toMillis())
                        .put("maxEjectionTimeMs", outlier.maxEjectionTime().toMillis())
                        .put("maxEjectionPercent", outlier.maxEjectionPercent())
                        .put("minHealthPercent", outlier.minHealthPercent()));
    }

    private static JsonArray limits(List<RateLimitRule> limits) {
        var array = new JsonArray();
        limits.forEach(limit -> array.add(limit(limit)));
        return array;
    }

    private static JsonObject limit(RateLimitRule limit) {
        var json = new JsonObject().put("source", limit.source());
        if (limit.bucket() instanceof TokenBucket bucket) {
            json.put("maxTokens", bucket.spec().maxTokens()).put("tokensPerFill", bucket.spec().tokensPerFill())
                    .put("fillIntervalMs", bucket.spec().fillInterval().toMillis()).put("shadow", bucket.spec().shadow());
        } else if (limit.bucket() instanceof GlobalRateLimiter global) {
            json.put("global", new JsonObject().put("requestsPerUnit", global.spec().requestsPerUnit())
                    .put("unit", global.spec().unit().toString()).put("failureMode", global.spec().failureMode().name()))
                    .put("shadow", global.spec().shadow());
        }
        return json.put("limited", limit.bucket().limited());
    }
}
