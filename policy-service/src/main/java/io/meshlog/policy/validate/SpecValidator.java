package io.meshlog.policy.validate;

import io.meshlog.policy.model.Durations;
import io.meshlog.policy.model.PolicyDocument;
import io.meshlog.schemas.v1.AuthorizationPolicySpec;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.HttpRoute;
import io.meshlog.schemas.v1.OutlierDetection;
import io.meshlog.schemas.v1.PeerAuthenticationSpec;
import io.meshlog.schemas.v1.RateLimitPolicySpec;
import io.meshlog.schemas.v1.RetryBudgetSpec;
import io.meshlog.schemas.v1.ServiceLevelObjectiveSpec;
import io.meshlog.schemas.v1.StringMatch;
import io.meshlog.schemas.v1.TelemetrySpec;
import io.meshlog.schemas.v1.TrafficPolicy;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import io.meshlog.schemas.v1.WorkloadSelector;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/** The rules a bound document must keep beyond its types; every violation at once. */
public final class SpecValidator {
    private static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");
    private static final Set<String> RETRY_ON = Set.of("5xx", "gateway-error", "connect-failure",
            "refused-stream", "reset", "retriable-4xx", "retriable-status-codes", "cancelled",
            "deadline-exceeded", "internal", "resource-exhausted", "unavailable");
    private static final Pattern STATUS_CLASS = Pattern.compile("[1-5]xx|[1-5]\\d\\d");
    private static final Pattern PRINCIPAL = Pattern.compile("\\*|\\*?[^*\\s]+\\*?");

    private SpecValidator() {}

    /**
     * The violations of {@code doc}.
     *
     * @param lines the source line of a path (0 when unknown)
     */
    public static List<Violation> validate(PolicyDocument doc, ToIntFunction<String> lines, ValidationContext context) {
        var checks = new Checks(lines);
        checks.dnsLabel(doc.name(), "metadata.name");
        checks.dnsLabel(doc.namespace(), "metadata.namespace");
        checks.labels(doc.labels(), "metadata.labels");
        var spec = doc.spec();
        if (spec instanceof DestinationRuleSpec dr) {
            destinationRule(dr, checks);
        } else if (spec instanceof VirtualServiceSpec vs) {
            virtualService(vs, doc.namespace(), checks, context);
        } else if (spec instanceof AuthorizationPolicySpec ap) {
            authorizationPolicy(ap, checks);
        } else if (spec instanceof PeerAuthenticationSpec pa) {
            selector(pa.getSelector(), checks);
            pa.getPortLevelMtls().keySet().forEach(port -> port(port, "spec.portLevelMtls." + port, checks));
            checks.require(pa.getPortLevelMtls().isEmpty() || pa.getSelector() != null, "spec.portLevelMtls",
                    "needs a selector: port-level mTLS applies to selected workloads only");
        } else if (spec instanceof RateLimitPolicySpec rl) {
            rateLimit(rl, checks);
        } else if (spec instanceof RetryBudgetSpec rb) {
            checks.require(!rb.getHost().isBlank(), "spec.host", "must not be empty");
            checks.range(rb.getRetryRatio(), 0, 1, "spec.retryRatio");
            checks.atLeast(rb.getMinRetriesPerSecond(), 0, "spec.minRetriesPerSecond");
            checks.atLeast(rb.getTtl(), 1, "spec.ttl");
        } else if (spec instanceof ServiceLevelObjectiveSpec slo) {
            slo(slo, checks);
        } else if (spec instanceof TelemetrySpec t) {
            selector(t.getSelector(), checks);
            checks.range(t.getRandomSamplingPercentage(), 0, 100, "spec.randomSamplingPercentage");
        }
        return checks.violations();
    }

    private static void destinationRule(DestinationRuleSpec dr, Checks checks) {
        checks.require(!dr.getHost().isBlank(), "spec.host", "must not be empty");
        trafficPolicy(dr.getTrafficPolicy(), "spec.trafficPolicy", checks);
        var names = new HashSet<String>();
        for (int i = 0; i < dr.getSubsets().size(); i++) {
            var subset = dr.getSubsets().get(i);
            var path = "spec.subsets[" + i + "]";
            checks.dnsLabel(subset.getName(), path + ".name");
            checks.require(names.add(subset.getName()), path + ".name",
                    "duplicate subset name \"" + subset.getName() + "\"");
            checks.labels(subset.getLabels(), path + ".labels");
            trafficPolicy(subset.getTrafficPolicy(), path + ".trafficPolicy", checks);
        }
    }

    private static void trafficPolicy(TrafficPolicy policy, String path, Checks checks) {
        if (policy == null) {
            return;
        }
        var pool = policy.getConnectionPool();
        if (pool != null) {
            checks.atLeast(pool.getMaxConnections(), 1, path + ".connectionPool.tcp.maxConnections");
            checks.atLeast(pool.getConnectTimeout(), 1, path + ".connectionPool.tcp.connectTimeout");
            checks.atLeast(pool.getHttp1MaxPendingRequests(), 1, path + ".connectionPool.http.http1MaxPendingRequests");
            checks.atLeast(pool.getHttp2MaxRequests(), 1, path + ".connectionPool.http.http2MaxRequests");
            checks.atLeast(pool.getMaxRequestsPerConnection(), 0, path + ".connectionPool.http.maxRequestsPerConnection");
        }
        outlier(policy.getOutlierDetection(), path + ".outlierDetection", checks);
    }

    private static void outlier(OutlierDetection od, String path, Checks checks) {
        if (od == null) {
            return;
        }
        checks.atLeast(od.getConsecutive5xxErrors(), 0, path + ".consecutive5xxErrors");
        checks.atLeast(od.getConsecutiveGatewayErrors(), 0, path + ".consecutiveGatewayErrors");
        checks.atLeast(od.getInterval(), 1, path + ".interval");
        checks.atLeast(od.getBaseEjectionTime(), 1, path + ".baseEjectionTime");
        checks.range(od.getMaxEjectionPercent(), 0, 100, path + ".maxEjectionPercent");
        checks.range(od.getMinHealthPercent(), 0, 100, path + ".minHealthPercent");
        checks.range(od.getFailurePercentageThreshold(), 0, 100, path + ".failurePercentageThreshold");
        checks.atLeast(od.getSuccessRateStdevFactor(), 0, path + ".successRateStdevFactor");
        if (od.getBaseEjectionTime() != null && od.getMaxEjectionTime() != null) {
            checks.require(od.getMaxEjectionTime() >= od.getBaseEjectionTime(), path + ".maxEjectionTime",
                    "must not be shorter than baseEjectionTime (" + Durations.format(od.getBaseEjectionTime()) + ")");
        }
    }

    private static void virtualService(VirtualServiceSpec vs, String namespace, Checks checks, ValidationContext context) {
        checks.require(!vs.getHosts().isEmpty(), "spec.hosts", "must name at least one host");
        for (int i = 0; i < vs.getHosts().size(); i++) {
            checks.require(!vs.getHosts().get(i).isBlank(), "spec.hosts[" + i + "]", "must not be empty");
        }
        checks.require(!vs.getHttp().isEmpty(), "spec.http", "must have at least one route");
        var names = new HashSet<String>();
        for (int i = 0; i < vs.getHttp().size(); i++) {
            var route = vs.getHttp().get(i);
            var path = "spec.http[" + i + "]";
            if (route.getName() != null) {
                checks.require(names.add(route.getName()), path + ".name", "duplicate route name \"" + route.getName() + "\"");
            }
            matches(route, path, checks);
            destinations(route, path, namespace, checks, context);
            retries(route, path, checks);
            fault(route, path, checks);
        }
    }

    private static void matches(HttpRoute route, String path, Checks checks) {
        for (int m = 0; m < route.getMatch().size(); m++) {
            var match = route.getMatch().get(m);
            var matchPath = path + ".match[" + m + "]";
            stringMatch(match.getUri(), matchPath + ".uri", checks);
            stringMatch(match.getMethod(), matchPath + ".method", checks);
            if (match.getMethod() != null && match.getMethod().getExact() != null) {
                checks.require(METHODS.contains(match.getMethod().getExact()), matchPath + ".method.exact",
                        "must be an HTTP method in capitals (" + String.join(", ", METHODS.stream().sorted().toList())
                                + "), but was \"" + match.getMethod().getExact() + "\"");
            }
            match.getHeaders().forEach((name, value) -> {
                checks.require(!name.isBlank() && name.equals(name.toLowerCase(java.util.Locale.ROOT)),
                        matchPath + ".headers." + name, "header names must be lowercase");
                stringMatch(value, matchPath + ".headers." + name, checks);
            });
        }
    }

    private static void stringMatch(StringMatch match, String path, Checks checks) {
        if (match == null) {
            return;
        }
        var set = (match.getExact() != null ? 1 : 0) + (match.getPrefix() != null ? 1 : 0)
                + (match.getRegex() != null ? 1 : 0) + (match.getPresent() != null ? 1 : 0);
        checks.require(set == 1, path, "must have exactly one of exact, prefix, regex or present, but has " + set);
        checks.regex(match.getRegex(), path + ".regex");
    }

    private static void destinations(HttpRoute route, String path, String namespace, Checks checks, ValidationContext context) {
        var destinations = route.getRoute();
        checks.require(!destinations.isEmpty(), path + ".route", "must have at least one destination");
        int sum = 0;
        int missing = 0;
        for (int d = 0; d < destinations.size(); d++) {
            var destination = destinations.get(d);
            var destPath = path + ".route[" + d + "]";
            var host = destination.getDestination().getHost();
            checks.require(!host.isBlank(), destPath + ".destination.host", "must not be empty");
            if (destination.getDestination().getPort() != null) {
                checks.range(destination.getDestination().getPort(), 1, 65535, destPath + ".destination.port");
            }
            var subset = destination.getDestination().getSubset();
            if (subset != null) {
                context.destinationRule(namespace, host).ifPresent(dr -> checks.require(
                        dr.getSubsets().stream().anyMatch(s -> s.getName().equals(subset)),
                        destPath + ".destination.subset", "subset \"" + subset + "\" is not defined by the "
                                + "DestinationRule of host " + dr.getHost() + " (it defines: "
                                + String.join(", ", dr.getSubsets().stream().map(s -> s.getName()).toList()) + ")"));
            }
            if (destination.getWeight() == null) {
                missing++;
            } else {
                checks.range(destination.getWeight(), 0, 100, destPath + ".weight");
                sum += destination.getWeight();
            }
        }
        if (destinations.size() > 1 && missing > 0 && missing < destinations.size()) {
            checks.error(path + ".route", "either every destination has a weight or none does");
        } else if (missing == 0 && !destinations.isEmpty() && sum != 100) {
            checks.error(path + ".route", "weights must sum to 100, but sum to " + sum);
        }
    }

    private static void retries(HttpRoute route, String path, Checks checks) {
        var retries = route.getRetries();
        if (retries == null) {
            return;
        }
        checks.range(retries.getAttempts(), 0, 10, path + ".retries.attempts");
        checks.atLeast(retries.getPerTryTimeout(), 1, path + ".retries.perTryTimeout");
        for (var condition : retries.getRetryOn()) {
            checks.require(RETRY_ON.contains(condition) || condition.matches("[1-5]\\d\\d"), path + ".retries.retryOn",
                    "unknown retry condition \"" + condition + "\"; expected status codes or "
                            + String.join(", ", RETRY_ON.stream().sorted().toList()));
        }
        if (retries.getPerTryTimeout() != null && route.getTimeout() != null && retries.getAttempts() > 0
                && retries.getPerTryTimeout() * retries.getAttempts() > route.getTimeout()) {
            checks.warning(path + ".retries.perTryTimeout", "perTryTimeout × attempts ("
                    + Durations.format(retries.getPerTryTimeout() * retries.getAttempts()) + ") exceeds the route timeout ("
                    + Durations.format(route.getTimeout()) + "): later attempts will be cut short");
        }
    }

    private static void fault(HttpRoute route, String path, Checks checks) {
        var fault = route.getFault();
        if (fault == null) {
            return;
        }
        checks.require(fault.getDelay() != null || fault.getAbort() != null, path + ".fault", "needs a delay or an abort");
        if (fault.getDelay() != null) {
            checks.range(fault.getDelay().getPercentage(), 0, 100, path + ".fault.delay.percentage.value");
        }
        if (fault.getAbort() != null) {
            checks.range(fault.getAbort().getPercentage(), 0, 100, path + ".fault.abort.percentage.value");
            checks.range(fault.getAbort().getHttpStatus(), 200, 599, path + ".fault.abort.httpStatus");
        }
    }

    private static void authorizationPolicy(AuthorizationPolicySpec ap, Checks checks) {
        selector(ap.getSelector(), checks);
        var rules = ap.getRules() == null ? List.<io.meshlog.schemas.v1.AuthorizationRule>of() : ap.getRules();
        for (int r = 0; r < rules.size(); r++) {
            var rule = rules.get(r);
            var path = "spec.rules[" + r + "]";
            for (int f = 0; f < rule.getFrom().size(); f++) {
                var source = rule.getFrom().get(f);
                var sourcePath = path + ".from[" + f + "].source";
                principals(source.getPrincipals(), sourcePath + ".principals", checks);
                principals(source.getNotPrincipals(), sourcePath + ".notPrincipals", checks);
            }
            for (int t = 0; t < rule.getTo().size(); t++) {
                var op = rule.getTo().get(t);
                var opPath = path + ".to[" + t + "].operation";
                methods(op.getMethods(), opPath + ".methods", checks);
                methods(op.getNotMethods(), opPath + ".notMethods", checks);
                paths(op.getPaths(), opPath + ".paths", checks);
                paths(op.getNotPaths(), opPath + ".notPaths", checks);
                op.getPorts().forEach(port -> port(port, opPath + ".ports", checks));
            }
            for (int w = 0; w < rule.getWhen().size(); w++) {
                var condition = rule.getWhen().get(w);
                checks.require(!condition.getKey().isBlank(), path + ".when[" + w + "].key", "must not be empty");
                checks.require(!condition.getValues().isEmpty() || !condition.getNotValues().isEmpty(),
                        path + ".when[" + w + "]", "needs values or notValues");
            }
        }
    }

    private static void principals(List<String> principals, String path, Checks checks) {
        for (int i = 0; i < principals.size(); i++) {
            checks.require(PRINCIPAL.matcher(principals.get(i)).matches(), path + "[" + i + "]",
                    "must be a principal such as cluster.local/ns/shop/sa/cart (a '*' only at the start or end), "
                            + "but was \"" + principals.get(i) + "\"");
        }
    }

    private static void methods(List<String> methods, String path, Checks checks) {
        for (int i = 0; i < methods.size(); i++) {
            checks.require(METHODS.contains(methods.get(i)) || "*".equals(methods.get(i)), path + "[" + i + "]",
                    "must be an HTTP method in capitals, but was \"" + methods.get(i) + "\"");
        }
    }

    private static void paths(List<String> paths, String path, Checks checks) {
        for (int i = 0; i < paths.size(); i++) {
            var value = paths.get(i);
            checks.require(value.startsWith("/") || value.startsWith("*"), path + "[" + i + "]",
                    "must start with '/' or '*', but was \"" + value + "\"");
        }
    }

    private static void port(String port, String path, Checks checks) {
        try {
            checks.range(Integer.parseInt(port), 1, 65535, path);
        } catch (NumberFormatException e) {
            checks.error(path, "must be a port number, but was \"" + port + "\"");
        }
    }

    private static void selector(WorkloadSelector selector, Checks checks) {
        if (selector != null) {
            checks.require(!selector.getMatchLabels().isEmpty(), "spec.selector.matchLabels",
                    "must have at least one label (leave out the selector to select every workload)");
            checks.labels(selector.getMatchLabels(), "spec.selector.matchLabels");
        }
    }

    private static void rateLimit(RateLimitPolicySpec rl, Checks checks) {
        selector(rl.getSelector(), checks);
        checks.require(rl.getTokenBucket() != null || rl.getGlobal() != null, "spec",
                "needs a tokenBucket or a global limit");
        var bucket = rl.getTokenBucket();
        if (bucket != null) {
            checks.atLeast(bucket.getMaxTokens(), 1, "spec.tokenBucket.maxTokens");
            checks.atLeast(bucket.getTokensPerFill(), 1, "spec.tokenBucket.tokensPerFill");
            checks.atLeast(bucket.getFillInterval(), 1, "spec.tokenBucket.fillInterval");
        }
        if (rl.getGlobal() != null) {
            checks.atLeast(rl.getGlobal().getRequestsPerUnit(), 1, "spec.global.requestsPerUnit");
        }
    }

    private static void slo(ServiceLevelObjectiveSpec slo, Checks checks) {
        checks.require(!slo.getService().isBlank(), "spec.service", "must not be empty");
        checks.require(slo.getTarget() > 0 && slo.getTarget() < 100, "spec.target",
                "must be a percentage above 0 and below 100, such as 99.9, but was " + slo.getTarget());
        checks.atLeast(slo.getWindow(), 60_000, "spec.window");
        for (int i = 0; i < slo.getBadStatusClasses().size(); i++) {
            checks.require(STATUS_CLASS.matcher(slo.getBadStatusClasses().get(i)).matches(),
                    "spec.badStatusClasses[" + i + "]", "must be a status class such as 5xx or a status code, but was \""
                            + slo.getBadStatusClasses().get(i) + "\"");
        }
        for (int i = 0; i < slo.getBurnRateRules().size(); i++) {
            var rule = slo.getBurnRateRules().get(i);
            var path = "spec.burnRateRules[" + i + "]";
            checks.require(rule.getShortWindow() < rule.getLongWindow(), path + ".shortWindow",
                    "must be shorter than longWindow");
            checks.require(rule.getFactor() > 0, path + ".factor", "must be above 0");
        }
    }
}
