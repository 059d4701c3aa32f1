/**
 * What: the HTTP forwarding shared by the inbound and outbound listeners: the per-request {@link
 * io.meshlog.proxy.http.RequestContext}, one try against one endpoint ({@link
 * io.meshlog.proxy.http.UpstreamClient}), the retry/timeout/relay logic ({@link
 * io.meshlog.proxy.http.Forwarder}), failures to statuses and Envoy flags ({@link
 * io.meshlog.proxy.http.FailureMapper}), the single place a request ends ({@link
 * io.meshlog.proxy.http.RequestFinisher}), and the mirrored copy of a request ({@link
 * io.meshlog.proxy.http.ShadowSender}, bounded by the proxy-wide {@link io.meshlog.proxy.http.ShadowGate};
 * its outcome, a {@link io.meshlog.proxy.http.Shadow}, rides on the relayed try's telemetry event).
 *
 * <p>Flow: listener handler → (route, limits, faults) → {@code Forwarder.forward} → tries via the
 * retry executor → relay of the response → finisher (metrics, telemetry, span).
 *
 * <p>Thread: the event loop of the downstream request; every callback of one request runs there,
 * its shadow's too (the gate's counter is shared by the loops).
 */
package io.meshlog.proxy.http;
