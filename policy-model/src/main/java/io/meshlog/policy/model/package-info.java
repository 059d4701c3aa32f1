/**
 * The policy model as users see it: a {@link io.meshlog.policy.model.PolicyDocument} (kind,
 * namespace, name, labels, typed Avro spec), its Kafka key, durations as Istio writes them, the
 * Istio-shaped layout of the Avro spec records, and the renderer back to YAML/JSON trees.
 * Pure values and functions, no threads of their own.
 */
package io.meshlog.policy.model;
