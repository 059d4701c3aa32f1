/**
 * The policies each destination service has (DestinationRule, RetryBudget,
 * ServiceLevelObjective), as a Kafka Streams table keyed by service and joined to telemetry.
 *
 * <p>Flow: mesh.policy.v1 (key kind/namespace/name) → table {@code policy-latest} → filter to the
 * kinds the pipeline uses → re-key by service (repartition topic {@code policies-by-service},
 * co-partitioned with telemetry) → {@link io.meshlog.pipeline.policy.ServicePolicies} per service →
 * left join with each telemetry event → {@link io.meshlog.pipeline.policy.TelemetryWithPolicies}
 * for the decision processors.
 *
 * <p>Thread: Kafka Streams stream threads; values are immutable.
 */
package io.meshlog.pipeline.policy;
