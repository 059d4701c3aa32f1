/**
 * From Kafka into the model: {@link io.meshlog.console.feed.ModelFeed} says which topic folds
 * where (each a {@link io.meshlog.console.feed.FeedTopic}) and re-runs the findings source when
 * the policies change. The schemas module's {@code TopicReader} is the consumer loop (one thread,
 * all partitions, {@code read_committed}); folds and findings run on that same thread.
 */
package io.meshlog.console.feed;
