package io.meshlog.proxy.route;

/**
 * The header operations of a route or of one of its destinations.
 *
 * @param request applied to the request before it is forwarded
 * @param response applied to the upstream's response before it is relayed
 */
public record RouteHeaders(HeaderOps request, HeaderOps response) {
    public static final RouteHeaders NONE = new RouteHeaders(HeaderOps.NONE, HeaderOps.NONE);
}
