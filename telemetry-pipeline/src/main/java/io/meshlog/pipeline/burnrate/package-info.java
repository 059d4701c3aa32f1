/**
 * Multiwindow, multi-burn-rate SLO alerts (Google SRE workbook), computed in-stream.
 *
 * <p>Flow: each telemetry event, joined with its service's ServiceLevelObjectives, is counted
 * good or bad ({@code badStatusClasses}, {@code latencyThreshold}) in each SLO's
 * {@link io.meshlog.pipeline.burnrate.SloWindows}: per-minute buckets over the longest rule
 * window with running sums per rule window, per-hour buckets over the SLO window for the error
 * budget. After each event the rules are evaluated (a pair fires when both its windows burn
 * faster than its factor; pairs of a severity are OR-ed) and a FIRING or RESOLVED BurnRateAlert
 * goes to mesh.alerts.v1 only when a severity's state changes; the last state emitted lives in a
 * state store, so restarts do not repeat it.
 *
 * <p>Time: event time only (buckets by {@code eventTime}; quiet SLOs slide on stream time), so
 * three days of traffic can be replayed in seconds and give the same alerts.
 *
 * <p>Thread: the stream thread owning the service's partition.
 */
package io.meshlog.pipeline.burnrate;
