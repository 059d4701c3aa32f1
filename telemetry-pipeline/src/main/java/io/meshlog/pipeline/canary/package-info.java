/**
 * The canary controller: progressive delivery decided per request count, in the stream.
 *
 * <p>Flow: the policies-by-service table's changes (a Canary applied, changed or deleted; a
 * generation of the route the controller wrote) and every SOURCE telemetry event of the service,
 * merged as {@link io.meshlog.pipeline.canary.CanaryInput} → {@link
 * io.meshlog.pipeline.canary.CanaryProcessor} (state per Canary in the changelogged store
 * {@code canary-runs}, ConfigAcks read from the global store {@code canary-config-acks}) → the
 * VirtualService of each step as a PolicyEvent on mesh.policy.v1 (author {@code
 * canary-controller}) and {@link io.meshlog.schemas.v1.CanaryStatus} on mesh.canary.status.v1.
 * Route changes, state and input offsets commit in one exactly-once transaction, so a restarted
 * pipeline neither repeats nor skips a step. {@link io.meshlog.pipeline.canary.CanaryRun} holds
 * the decisions (Flagger's phases); the processor only feeds it events and time. Webhooks are
 * called by {@link io.meshlog.pipeline.canary.HttpCanaryWebhooks} from the run's decisions, on the
 * stream thread, each bounded by its timeout (at most 5 s) so the transaction never outlives
 * Streams' transaction timeout.
 *
 * <p>Thread: Kafka Streams stream threads (one task per telemetry partition); time is the task's
 * wall clock ({@code ProcessorContext.currentSystemTimeMs}), mocked by TopologyTestDriver in tests.
 */
package io.meshlog.pipeline.canary;
