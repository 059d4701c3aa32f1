package io.meshlog.dev;

import io.meshlog.kafka.embedded.BrokerStartException;
import io.meshlog.kafka.embedded.EmbeddedBrokerConfig;
import io.meshlog.kafka.embedded.EmbeddedKafkaBroker;
import java.util.List;
import java.util.Map;

/** The real KRaft broker, its data under the state directory. */
final class BrokerComponent implements DevComponent {
    private final EmbeddedKafkaBroker broker;

    BrokerComponent(DevConfig config) {
        this.broker = new EmbeddedKafkaBroker(new EmbeddedBrokerConfig(config.kafkaDirectory(),
                config.kafkaPort(), config.controllerPort(),
                EmbeddedBrokerConfig.DEFAULT_START_TIMEOUT, Map.of()));
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public void start() {
        try {
            broker.start();
        } catch (BrokerStartException e) {
            throw new DevStartException(e.getMessage(), e);
        }
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public List<String> endpoints() {
        return List.of("kafka (KRaft broker)      " + broker.bootstrapServers());
    }

    @Override
    public void close() {
        broker.close();
    }
}
