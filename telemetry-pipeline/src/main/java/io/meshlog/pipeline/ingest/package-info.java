/**
 * What of the telemetry topic the decision topologies get to see: the caller's report of each
 * attempt, once.
 *
 * <p>Flow: mesh.telemetry.requests.v1 (source {@code telemetry-source}, event-time timestamps) →
 * {@link io.meshlog.pipeline.ingest.SourceReportsOnly} (processor
 * {@code telemetry-source-reports-only}: drops {@code reporter=DESTINATION}, counting each in
 * {@code meshlog_pipeline_telemetry_reports_filtered_total}) → the policies join (outlier, retry
 * budget, burn rate) and edge metrics.
 *
 * <p>Thread: the stream thread owning the destination service's partition; stateless.
 */
package io.meshlog.pipeline.ingest;
