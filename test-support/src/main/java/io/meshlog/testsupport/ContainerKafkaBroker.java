package io.meshlog.testsupport;

import io.meshlog.kafka.embedded.BrokerStartException;
import io.meshlog.kafka.embedded.KafkaBroker;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A Kafka broker in a Docker container (Testcontainers), for users who have Docker:
 * {@code mvn verify -Pdocker-kafka} or {@code -Dmeshlog.kafka=container}. Not used on CI here,
 * where no image can be pulled.
 */
public final class ContainerKafkaBroker implements KafkaBroker {
    /** The official Apache image, same major version as the embedded broker. */
    public static final String DEFAULT_IMAGE = "apache/kafka:4.1.0";

    private final KafkaContainer container;

    public ContainerKafkaBroker(String image) {
        this.container = new KafkaContainer(DockerImageName.parse(image));
    }

    @Override
    public void start() {
        try {
            container.start();
        } catch (RuntimeException e) {
            throw new BrokerStartException("cannot start the Kafka container (is Docker running?): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public boolean isRunning() {
        return container.isRunning();
    }

    @Override
    public void close() {
        container.stop();
    }
}
