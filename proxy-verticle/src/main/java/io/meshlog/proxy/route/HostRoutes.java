package io.meshlog.proxy.route;

import java.util.List;

/**
 * The routes of one host in order; the first that matches wins.
 *
 * @param host the host callers use
 * @param source the VirtualService key it came from ({@code kind/namespace/name})
 * @param routes in VirtualService order
 */
public record HostRoutes(String host, String source, List<RouteRule> routes) {
    public HostRoutes {
        routes = List.copyOf(routes);
    }
}
