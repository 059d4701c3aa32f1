package io.meshlog.policy.publish;

/** Kafka did not acknowledge a write in time (HTTP 503). */
public final class KafkaUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KafkaUnavailableException(Throwable cause) {
        super("Kafka did not acknowledge the change: " + cause.getMessage(), cause);
    }
}
