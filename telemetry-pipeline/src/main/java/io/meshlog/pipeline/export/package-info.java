/**
 * The pipeline's Prometheus endpoint for Grafana.
 *
 * <p>Flow: the decision processors call {@link io.meshlog.pipeline.export.PipelineObserver} as
 * they emit (ejections, retry budget states, burn rates and error budget per SLO and window,
 * alert transitions, closed edge windows, dead letters, telemetry reports left out); {@link
 * io.meshlog.pipeline.export.PrometheusObserver} turns that into bounded gauge families
 * ({@code meshlog_pipeline_*}); {@link io.meshlog.pipeline.export.MetricsHttpServer} serves the
 * scrape. Each instance reports the tasks it owns (a task that moves away withdraws its
 * ejections), so dashboards sum over instances.
 *
 * <p>Thread: observers are called on stream threads (concurrent maps, atomics); the HTTP server
 * has its own thread.
 */
package io.meshlog.pipeline.export;
