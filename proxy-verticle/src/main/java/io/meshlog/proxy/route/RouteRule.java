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
 * @param destinations weighted destinations; weights add up to 100; empty only for a redirect
 * @param timeout the whole request's timeout including retries; {@link Duration#ZERO} for none
 * @param retry the retry policy
 * @param fault fault injection, {@link FaultPolicy#NONE} when none
 * @param headers the route's header operations
 * @param rewrite the uri/authority rewrite, or null
 * @param redirect the redirect the proxy answers with instead of forwarding, or null
 * @param mirror where copies of the route's requests go, or null for none
 * @param sticky the weighted choice by a hash of a header or cookie (meshlog's stickyWeights), or null: random
 */
public record RouteRule(
        String name, List<RequestMatch> matches, List<RouteDestination> destinations,
        Duration timeout, RetryPolicy retry, FaultPolicy fault, RouteHeaders headers, Rewrite rewrite,
        Redirect redirect, MirrorPolicy mirror, StickyBuckets sticky) {
    public RouteRule {
        matches = List.copyOf(matches);
        destinations = List.copyOf(destinations);
        if (destinations.isEmpty() && redirect == null) {
            throw new IllegalArgumentException("route " + name + ": needs at least one destination");
        }
    }

    /** A route without mirror, whose weighted choice is random. */
    public RouteRule(String name, List<RequestMatch> matches, List<RouteDestination> destinations,
            Duration timeout, RetryPolicy retry, FaultPolicy fault, RouteHeaders headers, Rewrite rewrite,
            Redirect redirect) {
        this(name, matches, destinations, timeout, retry, fault, headers, rewrite, redirect, null, null);
    }

    /** A route that only forwards. */
    public RouteRule(String name, List<RequestMatch> matches, List<RouteDestination> destinations,
            Duration timeout, RetryPolicy retry, FaultPolicy fault) {
        this(name, matches, destinations, timeout, retry, fault, RouteHeaders.NONE, null, null);
    }

    /** The default route to every endpoint of {@code service}: Istio's behaviour without a VirtualService. */
    public static RouteRule passthrough(String service) {
        return new RouteRule("default", List.of(), List.of(new RouteDestination(service, null, 100)),
                Duration.ZERO, RetryPolicy.DEFAULT, FaultPolicy.NONE);
    }
}
