package io.meshlog.policy.validate;

import io.meshlog.policy.model.Durations;
import io.meshlog.policy.model.IstioFields;
import io.meshlog.schemas.v1.HttpMatchRequest;
import io.meshlog.schemas.v1.HttpRoute;
import io.meshlog.schemas.v1.StringMatch;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The rules of VirtualServices: hosts, matches, destinations and weights, retries, faults. */
final class RouteRules {
    private static final Set<String> RETRY_ON = Set.of("5xx", "gateway-error", "connect-failure",
            "refused-stream", "reset", "retriable-4xx", "retriable-status-codes", "cancelled",
            "deadline-exceeded", "internal", "resource-exhausted", "unavailable");

    private RouteRules() {}

    static void virtualService(VirtualServiceSpec vs, String namespace, Checks checks, ValidationContext context) {
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
            matches(route.getMatch(), path + ".match", checks);
            if (route.getRedirect() == null) {
                destinations(route, path, namespace, checks, context);
            }
            retries(route, path, checks);
            fault(route, path, checks);
            mirror(route, path, checks);
            RouteActionRules.headers(route.getHeaders(), path + ".headers", checks);
            RouteActionRules.rewrite(route, path, checks);
            RouteActionRules.redirect(route, path, checks);
            if (route.getStickyWeights() != null) {
                RouteActionRules.stickyKey(route.getStickyWeights().getHeader(), route.getStickyWeights().getCookie(),
                        path + ".stickyWeights", checks);
            }
        }
    }

    /** The rules of a list of HTTP matches at {@code path} (a route's, or a Canary's A/B match). */
    static void matches(List<HttpMatchRequest> matches, String path, Checks checks) {
        for (int m = 0; m < matches.size(); m++) {
            var match = matches.get(m);
            var matchPath = path + "[" + m + "]";
            stringMatch(match.getUri(), matchPath + ".uri", checks);
            stringMatch(match.getMethod(), matchPath + ".method", checks);
            if (match.getMethod() != null && match.getMethod().getExact() != null) {
                checks.require(SpecValidator.METHODS.contains(match.getMethod().getExact()), matchPath + ".method.exact",
                        "must be an HTTP method in capitals (" + String.join(", ", SpecValidator.METHODS.stream().sorted().toList())
                                + "), but was \"" + match.getMethod().getExact() + "\"");
            }
            headerMatches(match.getHeaders(), matchPath + ".headers", checks);
            headerMatches(match.getWithoutHeaders(), matchPath + ".withoutHeaders", checks);
            match.getQueryParams().forEach((name, value) -> {
                checks.require(!name.isBlank(), matchPath + ".queryParams", "parameter names must not be empty");
                stringMatch(value, matchPath + ".queryParams." + name, checks);
            });
            stringMatch(match.getAuthority(), matchPath + ".authority", checks);
            checks.range(match.getPort(), 1, 65535, matchPath + ".port");
            checks.labels(match.getSourceLabels(), matchPath + ".sourceLabels");
            checks.dnsLabel(match.getSourceNamespace(), matchPath + ".sourceNamespace");
        }
    }

    private static void headerMatches(java.util.Map<String, StringMatch> headers, String path, Checks checks) {
        headers.forEach((name, value) -> {
            checks.require(!name.isBlank() && name.equals(name.toLowerCase(Locale.ROOT)),
                    path + "." + name, "header names must be lowercase");
            stringMatch(value, path + "." + name, checks);
        });
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
            checks.range(destination.getDestination().getPort(), 1, 65535, destPath + ".destination.port.number");
            RouteActionRules.headers(destination.getHeaders(), destPath + ".headers", checks);
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

    private static void mirror(HttpRoute route, String path, Checks checks) {
        var mirror = route.getMirror();
        checks.require(mirror != null || route.getMirrorPercentage() == null, path + ".mirrorPercentage",
                "needs a mirror destination");
        if (mirror == null) {
            return;
        }
        checks.require(!mirror.getHost().isBlank(), path + ".mirror.host", "must not be empty");
        checks.range(mirror.getPort(), 1, 65535, path + ".mirror.port.number");
        checks.range(route.getMirrorPercentage(), 0, 100, path + ".mirrorPercentage.value");
        checks.require(route.getRedirect() == null, path + ".mirror", "cannot be used together with redirect");
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
}
