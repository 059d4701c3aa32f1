package io.meshlog.schemas.reader;

import java.time.Duration;
import java.util.Objects;

/**
 * One topic a {@link TopicReader} follows, and where it starts.
 *
 * @param topic the topic
 * @param lookBack null: from the beginning (compacted state); else from the first record written
 *     this long before the reader assigns its partitions (windows, requests)
 */
public record TopicStart(String topic, Duration lookBack) {
    public TopicStart {
        Objects.requireNonNull(topic, "topic");
        if (lookBack != null && lookBack.isNegative()) {
            throw new IllegalArgumentException("lookBack must not be negative, but was " + lookBack);
        }
    }

    /** The whole topic, then what follows. */
    public static TopicStart fromBeginning(String topic) {
        return new TopicStart(topic, null);
    }

    /** From {@code lookBack} ago, then what follows. */
    public static TopicStart since(String topic, Duration lookBack) {
        return new TopicStart(topic, Objects.requireNonNull(lookBack, "lookBack"));
    }
}
