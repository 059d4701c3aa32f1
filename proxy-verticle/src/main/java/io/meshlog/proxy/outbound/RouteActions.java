package io.meshlog.proxy.outbound;

import io.meshlog.proxy.http.RequestContext;
import io.meshlog.proxy.route.HeaderOps;
import io.meshlog.proxy.route.RouteDestination;
import io.meshlog.proxy.route.RouteMatcher;
import io.meshlog.proxy.route.RouteRule;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/** What the outbound handler does with a route besides choosing its destination: the match view, rewrite, response edits. */
final class RouteActions {
    private RouteActions() {}

    /** What matches read: the path and query as sent upstream, and the authority the caller addressed. */
    static RouteMatcher.Request routeRequest(HttpServerRequest request, RequestContext ctx) {
        var uri = ctx.uri();
        int q = uri.indexOf('?');
        var path = q < 0 ? uri : uri.substring(0, q);
        var query = q < 0 ? null : uri.substring(q + 1);
        var authority = ctx.authority() != null ? ctx.authority() : request.authority();
        String text = authority == null ? null : authority.port() >= 0 ? authority.host() + ":" + authority.port() : authority.host();
        int port = authority == null || authority.port() < 0 ? 80 : authority.port();
        return new RouteMatcher.Request(request.method().name(), path, query, text, port, request.headers());
    }

    /** Istio's rewrite: after routing, before the request leaves (every try sends the rewritten request). */
    static void rewrite(RouteMatcher matcher, RequestContext ctx, RouteRule rule, RouteMatcher.Request routeRequest) {
        var rewrite = rule.rewrite();
        if (rewrite == null) {
            return;
        }
        ctx.uri(rewrite.apply(ctx.uri(), rule.matches().isEmpty() ? null : matcher.matching(rule, routeRequest)));
        if (rewrite.authority() != null) {
            ctx.authority(io.vertx.core.net.HostAndPort.parseAuthority(rewrite.authority(), -1));
        }
    }

    static List<HeaderOps> responseHeaders(RouteRule rule, RouteDestination destination, HeaderOps setCookie) {
        var fromDestination = destination.headers().response();
        var fromRoute = rule.headers().response();
        if (setCookie == null) {
            return fromDestination.isEmpty() && fromRoute.isEmpty() ? List.of() : List.of(fromDestination, fromRoute);
        }
        return List.of(fromDestination, fromRoute, setCookie);
    }
}
