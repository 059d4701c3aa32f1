/**
 * What: the outbound listener (127.0.0.1): the app calls other services through it, as a forward
 * proxy (absolute-form URI, so {@code HTTP_PROXY} works) or with the destination in the Host
 * header; HTTP/1.1 and h2c.
 *
 * <p>Flow: {@link io.meshlog.proxy.outbound.OutboundRequestHandler}: host → route (404 NR) →
 * redirect (answered here) → route rate limit (429 RL) → fault (FI/DI) → weighted destination →
 * rewrite and request header operations ({@code RouteActions}) → consistent-hash key
 * ({@code RequestHash}) → {@code Forwarder} (endpoint pick, pool limits, retries, timeout,
 * response header operations, relay, telemetry).
 *
 * <p>Thread: the event loop of the request; reads the current snapshot once.
 */
package io.meshlog.proxy.outbound;
