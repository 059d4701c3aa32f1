/**
 * One way to follow meshlog topics: {@link io.meshlog.schemas.reader.TopicReader} assigns every
 * partition of its topics (no consumer group: each reader needs all of it), starts each topic
 * from the beginning or from a while back, reads {@code read_committed}, steps over undecodable
 * records and backs off while Kafka is away. It runs on its own named thread and hands each
 * poll's records to one handler on that thread. The proxy's policy and decision consumers and
 * the console's model feed use it.
 */
package io.meshlog.schemas.reader;
