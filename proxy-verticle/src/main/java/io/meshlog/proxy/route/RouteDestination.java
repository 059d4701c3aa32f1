package io.meshlog.proxy.route;

/**
 * Where a route sends its share of requests.
 *
 * @param service the destination service (host)
 * @param subset the DestinationRule subset, or null for all endpoints
 * @param weight the share in percent (all of a route's weights add up to 100)
 */
public record RouteDestination(String service, String subset, int weight) {}
