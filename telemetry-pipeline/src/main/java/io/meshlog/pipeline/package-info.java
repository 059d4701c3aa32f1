/**
 * The telemetry pipeline's entry points: {@link io.meshlog.pipeline.PipelineMain} (process),
 * {@link io.meshlog.pipeline.PipelineService} (one instance: streams + metrics endpoint) and
 * {@link io.meshlog.pipeline.PipelineTopology} (the topology, for tests and embedding).
 *
 * <p>Flow: mesh.telemetry.requests.v1 (key destination service) → callers' reports only
 * ({@code reporter=SOURCE}, processor {@code telemetry-source-reports-only}: in mesh mode both
 * sidecars report each attempt, and only the caller knows the endpoint it chose and whether the
 * try was a retry) → joined with the policies table →
 * outlier ejection and retry budget (→ mesh.decisions.v1), burn-rate alerts (→ mesh.alerts.v1);
 * telemetry alone → edge metrics (→ mesh.metrics.edges.v1); undecodable records → mesh.dlq.v1.
 *
 * <p>Thread: Kafka Streams stream threads run the processors; main only starts and stops.
 */
package io.meshlog.pipeline;
