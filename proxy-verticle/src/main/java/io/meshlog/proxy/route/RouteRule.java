package io.meshlog.proxy.route;

import io.meshlog.proxy.fault.FaultPolicy;
import io.meshlog.proxy.resilience.RetryPolicy;
import java.time.Duration;
import java.util.List;

/**
 * One compiled VirtualService http route.
 *
 * @param name the route's name (telemetry, rate limits), {@code "default"} when unnamed
 * @param matches any one of them must hold (OR); empty matches everything
 * @param destinations weighted destinations; weights add up to 100
 * @param timeout the whole request's timeout including retries; {@link Duration#ZERO} for none
 * @param retry the retry policy
 * @param fault fault injection, {@link FaultPolicy#NONE} when none
 */
public record RouteRule(
        String name, List<RequestMatch> matches, List<RouteDestination> destinations,
        Duration timeout, RetryPolicy retry, FaultPolicy fault) {
    public RouteRule {
        matches = List.copyOf(matches);
        destinations = List.copyOf(destinations);
        if (destinations.isEmpty()) {
            throw new IllegalArgumentException("route " + name + ": needs at least one destination");
        }
    }

    /** The default route to every endpoint of {@code service}: Istio's behaviour without a VirtualService. */
    public static RouteRule passthrough(String service) {
        return new RouteRule("default", List.of(), List.of(new RouteDestination(service, null, 100)),
                Duration.ZERO, RetryPolicy.DEFAULT, FaultPolicy.NONE);
    }
}
