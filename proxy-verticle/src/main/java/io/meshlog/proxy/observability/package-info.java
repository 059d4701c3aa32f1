/**
 * What: what the request path reports: Istio-compatible Prometheus meters ({@link
 * io.meshlog.proxy.observability.ProxyMetrics}) and one RequestTelemetry event per try ({@link
 * io.meshlog.proxy.http.TelemetryRecorder}) handed to the non-blocking telemetry sink.
 *
 * <p>Flow: when a request (or a try) ends, the request finisher calls the recorder and the
 * metrics once each.
 *
 * <p>Thread: event loops; nothing here blocks.
 */
package io.meshlog.proxy.observability;
