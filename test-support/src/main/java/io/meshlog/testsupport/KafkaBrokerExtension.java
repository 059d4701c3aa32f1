package io.meshlog.testsupport;

import io.meshlog.kafka.embedded.EmbeddedBrokerConfig;
import io.meshlog.kafka.embedded.EmbeddedKafkaBroker;
import io.meshlog.kafka.embedded.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Comparator;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a {@link SharedKafka} parameter: one real broker per test JVM, started on first
 * use and stopped when the JVM's tests are done. The broker is the embedded KRaft one unless the
 * system property {@code meshlog.kafka} is {@code container} (Testcontainers, needs Docker).
 */
public final class KafkaBrokerExtension implements ParameterResolver {
    /** System property choosing the broker: {@code embedded} (default) or {@code container}. */
    public static final String BROKER_PROPERTY = "meshlog.kafka";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SharedKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Holder.class, key -> startBroker(), Holder.class)
                .kafka;
    }

    private static Holder startBroker() {
        var kind = System.getProperty(BROKER_PROPERTY, "embedded");
        var dataDir = "embedded".equals(kind) ? tempDir() : null;
        KafkaBroker broker = switch (kind) {
            case "embedded" -> new EmbeddedKafkaBroker(EmbeddedBrokerConfig.ephemeral(dataDir));
            case "container" -> new ContainerKafkaBroker(System.getProperty(
                    "meshlog.kafka.image", ContainerKafkaBroker.DEFAULT_IMAGE));
            default -> throw new IllegalArgumentException(BROKER_PROPERTY
                    + " must be 'embedded' or 'container', but was '" + kind + "'");
        };
        broker.start();
        return new Holder(broker, dataDir);
    }

    private static java.nio.file.Path tempDir() {
        try {
            return Files.createTempDirectory("meshlog-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closed by JUnit when the root context closes, i.e. after the JVM's last test. */
    private static final class Holder implements AutoCloseable {
        private final SharedKafka kafka;
        private final java.nio.file.Path dataDir;

        Holder(KafkaBroker broker, java.nio.file.Path dataDir) {
            this.kafka = new SharedKafka(broker);
            this.dataDir = dataDir;
        }

        @Override
        public void close() {
            kafka.close();
            if (dataDir != null) {
                deleteTree(dataDir);
            }
        }
    }

    private static void deleteTree(java.nio.file.Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temp directory left behind is harmless.
        }
    }
}
