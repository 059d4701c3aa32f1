/**
 * The service's view of the log, and nothing more: {@link io.meshlog.policy.store.PolicyView}
 * (latest version per key and every version still in the topic) and {@link
 * io.meshlog.policy.store.ProxyView} (the last ConfigAck of each proxy). {@link
 * io.meshlog.policy.store.LogReader} replays {@code mesh.policy.v1} and {@code
 * mesh.config.acks.v1} from the beginning on its own thread ({@code meshlog-policy-consumer})
 * and keeps following them, so the service's own writes reach its view through the topic.
 * Views are read from any thread.
 */
package io.meshlog.policy.store;
