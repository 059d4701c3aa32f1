/**
 * Kafka plumbing shared by the proxy's background consumers: {@link
 * io.meshlog.proxy.kafka.TopicReplayer} reads a compacted topic from the beginning on its own
 * thread and keeps following it, with back-off while Kafka is away. The request path never calls
 * into this package.
 */
package io.meshlog.proxy.kafka;
