/**
 * Policy as a proxy receives it. {@link io.meshlog.proxy.policy.PolicyLogConsumer} replays the
 * compacted {@code mesh.policy.v1} topic from the beginning (all partitions, no consumer group),
 * keeps the latest valid event per {@code kind/namespace/name}, applies tombstones, skips and
 * counts invalid or undecodable records, and hands an immutable {@link
 * io.meshlog.proxy.policy.PolicyState} to its listener once the replay is complete and after every
 * change. The snapshot compiler turns that state into the request path's configuration, and
 * {@link io.meshlog.proxy.policy.ConfigAckPublisher} reports on {@code mesh.config.acks.v1} which
 * generations are in force.
 *
 * <p>Threads: the consumer runs on {@code meshlog-policy-consumer} and calls its listener there;
 * acks are sent from {@code meshlog-config-ack}; nothing here runs on an event loop.
 */
package io.meshlog.proxy.policy;
