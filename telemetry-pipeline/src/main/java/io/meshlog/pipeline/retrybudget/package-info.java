/**
 * Cluster-wide retry budgets per destination service, over all its callers.
 *
 * <p>Flow: each telemetry event (one per upstream attempt, {@code retry} marking retries) joined
 * with its service's RetryBudget policy is counted in the service's
 * {@link io.meshlog.pipeline.retrybudget.RetryBudget}; allowed retries =
 * {@code retryRatio × originals + minRetriesPerSecond × ttl seconds} over the sliding ttl (ten
 * buckets); a RetryBudgetState goes to mesh.decisions.v1 ({@code retry-budget/<service>}) when
 * {@code exhausted} flips or {@code remaining} moves by a tenth of the allowance, never per event.
 *
 * <p>Time: event time. Thread: the stream thread owning the service's partition.
 */
package io.meshlog.pipeline.retrybudget;
