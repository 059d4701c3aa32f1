/**
 * Traffic mirroring compared: the shadow's answer against the primary's, per route.
 *
 * <p>Flow: SOURCE telemetry (keyed by destination service) → only events that carry a shadow
 * outcome ({@code shadowStatus} set: the proxy publishes a mirrored request's event once its shadow
 * ended) → re-keyed {@code service/route} (repartition {@code mirror-by-route}) → 10 s tumbling
 * event-time windows with 5 s grace, summed by {@link io.meshlog.pipeline.mirror.ShadowTally}
 * (store {@code mirror-comparisons}) → one {@code ShadowComparison} per route and window once it
 * closed → mesh.mirror.comparisons.v1 and the Prometheus gauges. The canary controller's mirror
 * stage counts the same mismatches with the same {@link io.meshlog.pipeline.mirror.ShadowTally}
 * over its own step's events.
 *
 * <p>Thread: the stream thread owning the route's repartition partition.
 */
package io.meshlog.pipeline.mirror;
