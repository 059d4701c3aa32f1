package io.meshlog.proxy.route;

import io.vertx.core.MultiMap;
import io.vertx.core.net.HostAndPort;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Picks the route of a request (first match wins, as in Istio) and the destination among its
 * weighted ones. Stateless and safe to share between threads; a request is read into one {@link Request}.
 */
public final class RouteMatcher {
    private final IntUnaryOperator random;

    /** @param random returns a number in {@code [0, bound)} for a given bound (tests pass a fixed one) */
    public RouteMatcher(IntUnaryOperator random) {
        this.random = random;
    }

    /**
     * What a request offers to matches, read from it without copying; the authority's text is
     * only built when a match asks for it.
     *
     * @param query the raw query string without '?', or null
     * @param authority the authority the caller addressed, or null
     */
    public record Request(String method, String path, String query, HostAndPort authority, MultiMap headers) {
        /** {@code host[:port]} as addressed, or null. */
        public String authorityText() {
            if (authority == null) {
                return null;
            }
            return authority.port() >= 0 ? authority.host() + ":" + authority.port() : authority.host();
        }

        /** The port the caller addressed; 80 when it named none (the outbound listener speaks plain HTTP). */
        public int port() {
            return authority == null || authority.port() < 0 ? 80 : authority.port();
        }
    }

    /** The first route of {@code routes} that matches a request without query or authority. */
    public RouteRule match(List<RouteRule> routes, String method, String path, MultiMap headers) {
        return match(routes, new Request(method, path, null, null, headers));
    }

    /** The first route of {@code routes} that matches, or null when none does. */
    public RouteRule match(List<RouteRule> routes, Request request) {
        for (int i = 0; i < routes.size(); i++) {
            var route = routes.get(i);
            if (route.matches().isEmpty() || matching(route, request) != null) {
                return route;
            }
        }
        return null;
    }

    /** The first of the route's matches that holds (its uri decides a prefix rewrite), or null. */
    public RequestMatch matching(RouteRule route, Request request) {
        var matches = route.matches();
        for (int i = 0; i < matches.size(); i++) {
            if (matches(matches.get(i), request)) {
                return matches.get(i);
            }
        }
        return null;
    }

    /** One of the route's destinations, chosen by weight at random. */
    public RouteDestination pick(RouteRule route) {
        return pick(route, null);
    }

    /**
     * One of the route's destinations, chosen by weight: by the request's sticky bucket when the
     * route has sticky weights and the request carries the value, else at random.
     */
    public RouteDestination pick(RouteRule route, MultiMap headers) {
        var destinations = route.destinations();
        if (destinations.size() == 1) {
            return destinations.get(0);
        }
        var bucket = route.sticky() == null || headers == null ? java.util.OptionalInt.empty()
                : route.sticky().bucket(headers);
        int roll = bucket.isPresent() ? bucket.getAsInt() : random.applyAsInt(100);
        for (int i = 0; i < destinations.size(); i++) {
            roll -= destinations.get(i).weight();
            if (roll < 0) {
                return destinations.get(i);
            }
        }
        return destinations.get(destinations.size() - 1);
    }

    private static boolean matches(RequestMatch match, Request request) {
        if (!match.sourceSelected()) {
            return false;
        }
        if (match.uri() != null && !match.uri().matches(request.path())) {
            return false;
        }
        if (match.method() != null && !match.method().matches(request.method())) {
            return false;
        }
        if (match.port() != 0 && match.port() != request.port()) {
            return false;
        }
        if (match.authority() != null && !match.authority().matches(request.authorityText())) {
            return false;
        }
        for (Map.Entry<String, StringMatcher> header : match.headers().entrySet()) {
            if (!header.getValue().matches(request.headers().get(header.getKey()))) {
                return false;
            }
        }
        for (Map.Entry<String, StringMatcher> header : match.withoutHeaders().entrySet()) {
            if (header.getValue().matches(request.headers().get(header.getKey()))) {
                return false;
            }
        }
        for (Map.Entry<String, StringMatcher> param : match.queryParams().entrySet()) {
            if (!param.getValue().matches(QueryParams.first(request.query(), param.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
