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
        var authority = ctx.authority() != null ? ctx.authority() : request.authority();
        if (request.uri().startsWith("/")) {
            // origin form: Vert.x has split path and query already
            return new RouteMatcher.Request(request.method().name(), request.path(), request.query(), authority, request.headers());
        }
        var uri = ctx.uri();
        int q = uri.indexOf('?');
        return new RouteMatcher.Request(request.method().name(), q < 0 ? uri : uri.substring(0, q),
                q < 0 ? null : uri.substring(q + 1), authority, request.headers());
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
