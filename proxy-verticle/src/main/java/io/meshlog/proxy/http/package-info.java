/**
 * What: the HTTP forwarding shared by the inbound and outbound listeners: the per-request {@link
 * io.meshlog.proxy.http.RequestContext}, one try against one endpoint ({@link
 * io.meshlog.proxy.http.UpstreamClient}), the retry/timeout/relay logic ({@link
 * io.meshlog.proxy.http.Forwarder}), failures to statuses and Envoy flags ({@link
 * io.meshlog.proxy.http.FailureMapper}), and the single place a request ends ({@link
 * io.meshlog.proxy.http.RequestFinisher}).
 *
 * <p>Flow: listener handler → (route, limits, faults) → {@code Forwarder.forward} → tries via the
 * retry executor → relay of the response → finisher (metrics, telemetry, span).
 *
 * <p>Thread: the event loop of the downstream request; every callback of one request runs there.
 */
package io.meshlog.proxy.http;
