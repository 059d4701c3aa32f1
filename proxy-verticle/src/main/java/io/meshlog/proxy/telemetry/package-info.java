/**
 * Where per-request telemetry goes. The request path calls {@link
 * io.meshlog.proxy.telemetry.TelemetrySink#record} once per upstream attempt; {@link
 * io.meshlog.proxy.telemetry.KafkaTelemetrySink} queues the event in a bounded lock-free queue
 * and returns, and its thread {@code meshlog-telemetry-sender} hands events to an idempotent,
 * batching Kafka producer (topic {@code mesh.telemetry.requests.v1}, key destination service).
 * A full queue or a producer that cannot keep up drops the event and counts it, so a dead broker
 * costs memory bounded by the queue and producer buffer, never a blocked request. {@link
 * io.meshlog.proxy.telemetry.LoggingTelemetrySink} logs a line per event instead (static mode).
 *
 * <p>Threads: {@code record} runs on event loops and never blocks; the producer's callbacks run on
 * its I/O thread.
 */
package io.meshlog.proxy.telemetry;
