package io.meshlog.proxy.route;

import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Picks the route of a request (first match wins, as in Istio) and the destination among its
 * weighted ones. Allocation-free; safe to share between threads.
 */
public final class RouteMatcher {
    private final IntUnaryOperator random;

    /** @param random returns a number in {@code [0, bound)} for a given bound (tests pass a fixed one) */
    public RouteMatcher(IntUnaryOperator random) {
        this.random = random;
    }

    /** The first route of {@code routes} that matches, or null when none does. */
    public RouteRule match(List<RouteRule> routes, String method, String path, MultiMap headers) {
        for (int i = 0; i < routes.size(); i++) {
            var route = routes.get(i);
            if (matchesAny(route.matches(), method, path, headers)) {
                return route;
            }
        }
        return null;
    }

    /** One of the route's destinations, chosen by weight. */
    public RouteDestination pick(RouteRule route) {
        var destinations = route.destinations();
        if (destinations.size() == 1) {
            return destinations.get(0);
        }
        int roll = random.applyAsInt(100);
        for (int i = 0; i < destinations.size(); i++) {
            roll -= destinations.get(i).weight();
            if (roll < 0) {
                return destinations.get(i);
            }
        }
        return destinations.get(destinations.size() - 1);
    }

    private static boolean matchesAny(List<RequestMatch> matches, String method, String path, MultiMap headers) {
        if (matches.isEmpty()) {
            return true;
        }
        for (int i = 0; i < matches.size(); i++) {
            if (matches(matches.get(i), method, path, headers)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(RequestMatch match, String method, String path, MultiMap headers) {
        if (match.uri() != null && !match.uri().matches(path)) {
            return false;
        }
        if (match.method() != null && !match.method().matches(method)) {
            return false;
        }
        for (Map.Entry<String, StringMatcher> header : match.headers().entrySet()) {
            if (!header.getValue().matches(headers.get(header.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
