/**
 * Turning an accepted change into exactly one PolicyEvent on {@code mesh.policy.v1}: {@link
 * io.meshlog.policy.publish.PolicyPublisher} (idempotent producer, acks=all, completes when Kafka
 * acknowledged) and {@link io.meshlog.policy.publish.PolicyWriter}, which serializes writes on one
 * thread ({@code meshlog-policy-writer}): check generation, publish, wait until the service's own
 * view has read the record back, answer.
 */
package io.meshlog.policy.publish;
