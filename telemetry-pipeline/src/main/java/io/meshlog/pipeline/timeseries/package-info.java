/**
 * Time-bucketed counters shared by the decisions that look at trailing windows (retry budgets,
 * burn rates): {@link io.meshlog.pipeline.timeseries.BucketRing} keeps two counters per bucket
 * and running sums per window.
 *
 * <p>Flow: a processor adds one event to the bucket of its event time; the ring slides forward
 * when a newer bucket is touched; window sums are read after each add.
 *
 * <p>Thread: plain objects, owned by one stream task's processor (never shared).
 */
package io.meshlog.pipeline.timeseries;
