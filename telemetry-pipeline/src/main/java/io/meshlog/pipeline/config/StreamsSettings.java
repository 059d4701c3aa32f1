package io.meshlog.pipeline.config;

import io.meshlog.pipeline.dlq.DeadLetterHandler;
import io.meshlog.pipeline.export.PipelineObserver;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams properties of a pipeline instance. */
public final class StreamsSettings {
    private StreamsSettings() {}

    /**
     * exactly_once_v2, the dead-letter handler, then the pass-through settings (which may change
     * anything but the dead-letter wiring).
     */
    public static Properties of(PipelineConfig config, PipelineObserver observer) {
        var props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.putAll(config.streams());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        props.put(DeadLetterHandler.TOPIC_CONFIG, config.topics().deadLetters().name());
        props.put(DeadLetterHandler.OBSERVER_CONFIG, observer);
        return props;
    }
}
