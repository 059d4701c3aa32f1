package io.meshlog.proxy.route;

/**
 * Where a route sends its share of requests.
 *
 * @param service the destination service (host)
 * @param subset the DestinationRule subset, or null for all endpoints
 * @param weight the share in percent (all of a route's weights add up to 100)
 * @param port the service port (Istio's destination.port.number), or 0 for every endpoint
 * @param headers the destination's own header operations (applied before the route's)
 */
public record RouteDestination(String service, String subset, int weight, int port, RouteHeaders headers) {
    public RouteDestination(String service, String subset, int weight) {
        this(service, subset, weight, 0, RouteHeaders.NONE);
    }
}
