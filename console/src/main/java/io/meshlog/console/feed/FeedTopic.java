package io.meshlog.console.feed;

import io.meshlog.schemas.reader.TopicStart;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * One topic the console folds, and from where: compacted state from the beginning, streams of
 * windows and requests from a while back.
 *
 * @param name the topic
 * @param values the value deserializer
 * @param lookBack null: from the beginning; else from this long before now
 * @param fold what to do with each record; a null value is a tombstone
 * @param <V> the value type
 */
public record FeedTopic<V>(String name, Deserializer<V> values, Duration lookBack, Fold<V> fold) {
    public FeedTopic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(fold, "fold");
    }

    /** Folds one record into the model, on the feed thread. */
    @FunctionalInterface
    public interface Fold<V> {
        void apply(String key, V value);
    }

    TopicStart start() {
        return new TopicStart(name, lookBack);
    }

    void accept(String key, byte[] value) {
        fold.apply(key, value == null ? null : values.deserialize(name, value));
    }
}
