/**
 * From Kafka into the model: {@link io.meshlog.console.feed.TopicFeed} is the consumer loop (one
 * thread, all partitions, {@code read_committed}, undecodable records skipped),
 * {@link io.meshlog.console.feed.ModelFeed} says which topic folds where and re-runs the findings
 * source when the policies change, on that same thread.
 */
package io.meshlog.console.feed;
