/**
 * Distributed tracing of proxied requests. The request path calls a {@link
 * io.meshlog.proxy.tracing.RequestTracer}: {@code start} when a request arrives (the parent is
 * read from W3C {@code traceparent} or B3 headers), {@code inject} into the upstream request,
 * {@code end} with the status and Envoy response flags. {@link
 * io.meshlog.proxy.tracing.RequestTracer#NOOP} keeps ids flowing when tracing is off; {@link
 * io.meshlog.proxy.tracing.OpenTelemetryRequestTracer} samples and exports over OTLP as {@link
 * io.meshlog.proxy.tracing.TracingConfig} says. A Telemetry policy's {@link
 * io.meshlog.proxy.tracing.TraceSettings} travel with each {@code start}: its sampling percentage
 * reaches the {@code PolicySampler} through the span's parent context, its custom tags become
 * attributes.
 *
 * <p>Threads: {@code start}/{@code inject}/{@code end} run on event-loop threads and never
 * block; spans are exported from the OpenTelemetry SDK's own batch thread.
 */
package io.meshlog.proxy.tracing;
