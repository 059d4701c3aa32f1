package io.meshlog.policy.cli;

import io.meshlog.policy.model.Durations;
import io.meshlog.schemas.topics.TopicCatalogue;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the mesh's topics are, for the commands that read Kafka directly (baseline, assess). */
final class KafkaOptions {
    @Option(names = "--bootstrap-server", description = "Kafka (env MESHCTL_KAFKA_BOOTSTRAP, default localhost:9092)")
    String bootstrap;

    @Option(names = "--topic-prefix", defaultValue = "", description = "prefix of the mesh's topic names")
    String prefix;

    @Option(names = "--read-timeout", defaultValue = "60s", description = "give up reading Kafka after this long")
    String readTimeout;

    Map<String, Object> kafka(Meshctl meshctl) {
        return Map.of("bootstrap.servers", bootstrap != null ? bootstrap
                : meshctl.env().getOrDefault("MESHCTL_KAFKA_BOOTSTRAP", "localhost:9092"));
    }

    TopicCatalogue topics() {
        return new TopicCatalogue(prefix);
    }

    Duration timeout() {
        return Duration.ofMillis(Durations.parseMillis(readTimeout));
    }

    /** A window given as a duration ({@code 1h}, {@code 90s}), refused with the reason when it is not one. */
    static Duration window(String text) {
        try {
            var millis = Durations.parseMillis(text);
            if (millis < 1000) {
                throw new CliException("error: --window must be at least 1s, but was " + text);
            }
            return Duration.ofMillis(millis);
        } catch (IllegalArgumentException e) {
            throw new CliException("error: --window: " + e.getMessage());
        }
    }
}
