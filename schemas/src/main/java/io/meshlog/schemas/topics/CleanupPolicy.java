package io.meshlog.schemas.topics;

/** Kafka's {@code cleanup.policy} for a topic. */
public enum CleanupPolicy {
    /** Keep the latest record per key: the current state of everything, replayable. */
    COMPACT("compact"),
    /** Keep records for the retention time: an event stream. */
    DELETE("delete");

    private final String configValue;

    CleanupPolicy(String configValue) {
        this.configValue = configValue;
    }

    /** The value of Kafka's {@code cleanup.policy} setting. */
    public String configValue() {
        return configValue;
    }
}
