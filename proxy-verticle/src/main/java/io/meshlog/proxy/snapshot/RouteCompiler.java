package io.meshlog.proxy.snapshot;

import io.meshlog.proxy.fault.FaultPolicy;
import io.meshlog.proxy.resilience.RetryOn;
import io.meshlog.proxy.resilience.RetryPolicy;
import io.meshlog.proxy.route.MirrorPolicy;
import io.meshlog.proxy.route.RequestMatch;
import io.meshlog.proxy.route.RouteDestination;
import io.meshlog.proxy.route.RouteRule;
import io.meshlog.proxy.route.StickyBuckets;
import io.meshlog.proxy.route.StringMatcher;
import io.meshlog.schemas.v1.HttpFaultInjection;
import io.meshlog.schemas.v1.HttpMatchRequest;
import io.meshlog.schemas.v1.HttpRetry;
import io.meshlog.schemas.v1.HttpRoute;
import io.meshlog.schemas.v1.StringMatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Compiles one VirtualService http route; throws {@link InvalidPolicyException} naming the bad path. */
final class RouteCompiler {
    private RouteCompiler() {}

    /**
     * @param workloadNamespace this sidecar's namespace: a match's sourceNamespace must name it
     * @param workloadLabels this sidecar's workload labels: a match's sourceLabels hold when they
     *     are all among them (Istio's source is the calling workload, i.e. this sidecar's)
     */
    static RouteRule compile(HttpRoute route, String path, String workloadNamespace, Map<String, String> workloadLabels) {
        var name = route.getName() != null ? route.getName() : "default";
        var matches = new ArrayList<RequestMatch>();
        for (int i = 0; i < route.getMatch().size(); i++) {
            matches.add(match(route.getMatch().get(i), path + ".match[" + i + "]", workloadNamespace, workloadLabels));
        }
        var timeout = route.getTimeout() == null ? Duration.ZERO : millis(route.getTimeout(), path + ".timeout");
        var redirect = RouteActionCompiler.redirect(route, path);
        var destinations = redirect != null ? List.<RouteDestination>of() : destinations(route, path + ".route");
        return new RouteRule(name, matches, destinations, timeout, retry(route.getRetries(), path + ".retries"),
                fault(route.getFault(), path + ".fault"), RouteActionCompiler.headers(route.getHeaders()),
                RouteActionCompiler.rewrite(route, path + ".rewrite"), redirect, mirror(route, path),
                sticky(route, path + ".stickyWeights"));
    }

    private static MirrorPolicy mirror(HttpRoute route, String path) {
        var mirror = route.getMirror();
        if (mirror == null) {
            return null;
        }
        var port = mirror.getPort() == null ? 0 : mirror.getPort();
        if (port < 0 || port > 65535) {
            throw new InvalidPolicyException(path + ".mirror.port.number", "must be between 1 and 65535, but was " + port);
        }
        double percentage = route.getMirrorPercentage() == null ? 100 : route.getMirrorPercentage();
        if (!(percentage >= 0 && percentage <= 100)) {
            throw new InvalidPolicyException(path + ".mirrorPercentage.value", "must be between 0 and 100, but was " + percentage);
        }
        return new MirrorPolicy(mirror.getHost(), mirror.getSubset(), port, percentage);
    }

    private static StickyBuckets sticky(HttpRoute route, String path) {
        var sticky = route.getStickyWeights();
        if (sticky == null) {
            return null;
        }
        if ((sticky.getHeader() == null) == (sticky.getCookie() == null)) {
            throw new InvalidPolicyException(path, "needs exactly one of header or cookie");
        }
        return new StickyBuckets(sticky.getHeader() == null ? null : sticky.getHeader().toLowerCase(Locale.ROOT),
                sticky.getCookie());
    }

    private static RequestMatch match(HttpMatchRequest match, String path, String workloadNamespace,
            Map<String, String> workloadLabels) {
        boolean ignoreCase = match.getIgnoreUriCase();
        var query = new HashMap<String, StringMatcher>();
        match.getQueryParams().forEach((param, value) -> query.put(param, matcher(value, false, path + ".queryParams." + param)));
        var port = match.getPort() == null ? 0 : match.getPort();
        if (port < 0 || port > 65535) {
            throw new InvalidPolicyException(path + ".port", "must be between 1 and 65535, but was " + port);
        }
        boolean selected = workloadLabels.entrySet().containsAll(match.getSourceLabels().entrySet())
                && (match.getSourceNamespace() == null || match.getSourceNamespace().equals(workloadNamespace));
        return new RequestMatch(matcher(match.getUri(), ignoreCase, path + ".uri"),
                matcher(match.getMethod(), false, path + ".method"), headers(match.getHeaders(), path + ".headers"),
                query, matcher(match.getAuthority(), false, path + ".authority"), port,
                headers(match.getWithoutHeaders(), path + ".withoutHeaders"), selected);
    }

    private static Map<String, StringMatcher> headers(Map<String, StringMatch> headers, String path) {
        var out = new HashMap<String, StringMatcher>();
        headers.forEach((header, value) -> out.put(header.toLowerCase(Locale.ROOT), matcher(value, false, path + "." + header)));
        return out;
    }

    private static StringMatcher matcher(StringMatch match, boolean ignoreCase, String path) {
        if (match == null) {
            return null;
        }
        int given = (match.getExact() != null ? 1 : 0) + (match.getPrefix() != null ? 1 : 0)
                + (match.getRegex() != null ? 1 : 0) + (match.getPresent() != null ? 1 : 0);
        if (given != 1) {
            throw new InvalidPolicyException(path, "must have exactly one of exact, prefix, regex, present, but had " + given);
        }
        if (match.getExact() != null) {
            return new StringMatcher.Exact(match.getExact(), ignoreCase);
        }
        if (match.getPrefix() != null) {
            return new StringMatcher.Prefix(match.getPrefix(), ignoreCase);
        }
        if (match.getPresent() != null) {
            return new StringMatcher.Present(match.getPresent());
        }
        try {
            return new StringMatcher.Regex(Pattern.compile(match.getRegex(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0));
        } catch (PatternSyntaxException e) {
            throw new InvalidPolicyException(path + ".regex", "is not a valid regular expression: " + e.getDescription());
        }
    }

    private static List<RouteDestination> destinations(HttpRoute route, String path) {
        var list = route.getRoute();
        if (list.isEmpty()) {
            throw new InvalidPolicyException(path, "must name at least one destination");
        }
        var destinations = new ArrayList<RouteDestination>();
        int total = 0;
        for (int i = 0; i < list.size(); i++) {
            var target = list.get(i);
            Integer weight = target.getWeight();
            int share = weight != null ? weight : (list.size() == 1 ? 100 : 0);
            if (share < 0 || share > 100) {
                throw new InvalidPolicyException(path + "[" + i + "].weight", "must be between 0 and 100, but was " + share);
            }
            total += share;
            var port = target.getDestination().getPort() == null ? 0 : target.getDestination().getPort();
            if (port < 0 || port > 65535) {
                throw new InvalidPolicyException(path + "[" + i + "].destination.port.number", "must be between 1 and 65535, but was " + port);
            }
            destinations.add(new RouteDestination(target.getDestination().getHost(), target.getDestination().getSubset(), share,
                    port, RouteActionCompiler.headers(target.getHeaders())));
        }
        if (total != 100) {
            throw new InvalidPolicyException(path, "weights must add up to 100, but add up to " + total);
        }
        return destinations;
    }

    private static RetryPolicy retry(HttpRetry retry, String path) {
        if (retry == null) {
            return RetryPolicy.DEFAULT;
        }
        var conditions = EnumSet.noneOf(RetryOn.class);
        var codes = new HashSet<Integer>();
        for (var entry : retry.getRetryOn()) {
            for (var token : entry.split(",")) {
                if (token.isBlank()) {
                    continue;
                }
                var condition = RetryOn.byName(token);
                if (condition != null) {
                    conditions.add(condition);
                } else if (token.trim().matches("[1-5][0-9][0-9]")) {
                    codes.add(Integer.parseInt(token.trim()));
                    conditions.add(RetryOn.RETRIABLE_STATUS_CODES);
                } else {
                    throw new InvalidPolicyException(path + ".retryOn", "'" + token.trim()
                            + "' is not a status code or one of 5xx, gateway-error, connect-failure, refused-stream, reset, retriable-4xx, retriable-status-codes");
                }
            }
        }
        try {
            var perTry = retry.getPerTryTimeout() == null ? Duration.ZERO : millis(retry.getPerTryTimeout(), path + ".perTryTimeout");
            return new RetryPolicy(retry.getAttempts(), perTry, conditions, codes, retry.getAllowNonIdempotent());
        } catch (IllegalArgumentException e) {
            throw new InvalidPolicyException(path, e.getMessage());
        }
    }

    private static FaultPolicy fault(HttpFaultInjection fault, String path) {
        if (fault == null) {
            return FaultPolicy.NONE;
        }
        try {
            var delay = fault.getDelay();
            var abort = fault.getAbort();
            return new FaultPolicy(delay == null ? 0 : delay.getPercentage(),
                    delay == null ? Duration.ZERO : Duration.ofMillis(delay.getFixedDelay()),
                    abort == null ? 0 : abort.getPercentage(), abort == null ? 0 : abort.getHttpStatus());
        } catch (IllegalArgumentException e) {
            throw new InvalidPolicyException(path, e.getMessage());
        }
    }

    static Duration millis(long value, String path) {
        if (value < 0) {
            throw new InvalidPolicyException(path, "must not be negative, but was " + value + "ms");
        }
        return Duration.ofMillis(value);
    }
}
