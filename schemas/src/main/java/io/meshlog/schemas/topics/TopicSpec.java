package io.meshlog.schemas.topics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One topic of the mesh: its name, how many partitions, how it is cleaned up and how long its
 * records live.
 *
 * @param name the full topic name (after any prefix)
 * @param partitions number of partitions, at least 1
 * @param cleanupPolicy compact or delete
 * @param retention how long records are kept; {@code null} for forever (compacted topics)
 * @param valueType the Avro class of the topic's values
 */
public record TopicSpec(
        String name,
        int partitions,
        CleanupPolicy cleanupPolicy,
        Duration retention,
        Class<?> valueType) {
    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
        Objects.requireNonNull(valueType, "valueType");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException(
                    "topic " + name + ": partitions must be at least 1, but was " + partitions);
        }
    }

    /** The topic-level configs this spec asks the broker for. */
    public Map<String, String> configs() {
        var configs = new HashMap<String, String>();
        configs.put("cleanup.policy", cleanupPolicy.configValue());
        configs.put("retention.ms", retention == null ? "-1" : Long.toString(retention.toMillis()));
        if (cleanupPolicy == CleanupPolicy.COMPACT) {
            // Small segments and a low dirty ratio so compaction happens in minutes in dev, not days.
            configs.put("segment.ms", Long.toString(Duration.ofHours(1).toMillis()));
            configs.put("min.cleanable.dirty.ratio", "0.1");
        }
        return Map.copyOf(configs);
    }
}
