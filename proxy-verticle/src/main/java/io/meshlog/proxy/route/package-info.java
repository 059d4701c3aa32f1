/**
 * What: VirtualService routing compiled to matchers: path exact/prefix/regex, method, headers
 * exact/prefix/regex/present, query parameters, authority, port, withoutHeaders, source labels and
 * namespace (decided at compile time: the source is this sidecar), first match wins, weighted
 * destinations across subsets and service ports (at random, or by {@link
 * io.meshlog.proxy.route.StickyBuckets}, the hash of a header or cookie, with meshlog's
 * {@code stickyWeights}); and what a route does besides forwarding:
 * {@link io.meshlog.proxy.route.HeaderOps}, {@link io.meshlog.proxy.route.Rewrite},
 * {@link io.meshlog.proxy.route.Redirect}.
 *
 * <p>Flow: the outbound handler looks up the {@link io.meshlog.proxy.route.HostRoutes} of the
 * request's host in the current snapshot, then {@link io.meshlog.proxy.route.RouteMatcher#match}
 * and {@link io.meshlog.proxy.route.RouteMatcher#pick}.
 *
 * <p>Thread: event loop; everything here is immutable or stateless.
 */
package io.meshlog.proxy.route;
