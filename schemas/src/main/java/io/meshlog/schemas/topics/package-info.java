/**
 * The immutable catalogue of the mesh's topics and an idempotent creator that uses Kafka's Admin
 * client. Services take a {@link io.meshlog.schemas.topics.TopicCatalogue} so that tests and
 * several meshes can share a cluster under name prefixes. Runs once at start-up, on the caller's
 * thread.
 */
package io.meshlog.schemas.topics;
