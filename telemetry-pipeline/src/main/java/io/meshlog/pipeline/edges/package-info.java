/**
 * Per source → destination traffic in 10-second tumbling event-time windows: requests, 4xx,
 * 5xx (and no-response), retries, bytes, and latency p50/p95/p99 from an HdrHistogram whose
 * compressed bytes travel in the record so windows and instances can be merged exactly.
 *
 * <p>Flow: telemetry (keyed by destination, so an edge's events are all in one partition) →
 * {@code EdgeWindowProcessor} (accumulators in memory, the changed ones written to a store at each
 * commit) → on stream time passing window end + grace, one EdgeMetrics per edge to
 * mesh.metrics.edges.v1.
 *
 * <p>Thread: the stream thread owning the destination's partition.
 */
package io.meshlog.pipeline.edges;
