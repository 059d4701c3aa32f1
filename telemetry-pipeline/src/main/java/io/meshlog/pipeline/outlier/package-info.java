/**
 * Cluster-wide outlier ejection per destination endpoint, over the results every caller reports.
 *
 * <p>Flow: a telemetry event joined with its service's policies reaches {@code OutlierProcessor},
 * which finds the outlierDetection block for its destination ({@code RuleOutlierSettings}: the
 * subset's own, else the service's DestinationRule's, else the mesh-wide rule's, reread from its
 * store every second); without one the event is not counted (Istio's default: no detection). Else
 * the service's {@link io.meshlog.pipeline.outlier.ServiceOutlierDetector} counts the result
 * (consecutive 5xx, consecutive gateway errors: decided on that very event; success rate and
 * failure percentage: decided when an event opens a new {@code interval}); an ejection lasts
 * {@code baseEjectionTime × ejection count} capped by {@code maxEjectionTime}, limited by
 * {@code maxEjectionPercent} (one may always be ejected) and {@code minHealthPercent} over the
 * endpoints seen in the last {@code max(30 s, 3 × interval)} plus those ejected. Decisions go to
 * mesh.decisions.v1 keyed {@code ejection/<service>/<endpoint>}.
 *
 * <p>Time: detection runs on event time (each service's clock is the newest event time seen, so
 * replays decide the same way). Returns from ejection are emitted when either clock passes the
 * ejection's end: on the next event of the service (event time) or on a wall-clock punctuation
 * every second. Wall clock is needed because an ejected endpoint receives no more traffic and a
 * quiet partition's stream time can stand still; proxies also honour {@code until} themselves.
 *
 * <p>Thread: the stream thread that owns the service's partition; no shared mutable state.
 */
package io.meshlog.pipeline.outlier;
