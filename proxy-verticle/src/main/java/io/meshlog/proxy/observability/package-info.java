/**
 * What: what the request path reports: Istio-compatible Prometheus meters ({@link
 * io.meshlog.proxy.observability.ProxyMetrics}) and one RequestTelemetry event per try ({@link
 * io.meshlog.proxy.http.TelemetryRecorder}) handed to the non-blocking telemetry sink;
 * the Telemetry policies in force ({@link io.meshlog.proxy.observability.TelemetryPolicy}) decide
 * which meters are recorded with which labels, and whether the {@link
 * io.meshlog.proxy.http.AccessLog} writes a line.
 *
 * <p>Flow: when a request (or a try) ends, the request finisher calls the recorder and the
 * metrics once each.
 *
 * <p>Thread: event loops. Nothing here blocks, except that the access log writes through logback on
 * the event loop: route the {@code meshlog.access} logger to an AsyncAppender where its output can
 * stall (the default console appender writes synchronously).
 */
package io.meshlog.proxy.observability;
