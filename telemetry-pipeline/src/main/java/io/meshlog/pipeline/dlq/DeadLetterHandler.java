package io.meshlog.pipeline.dlq;

import io.meshlog.pipeline.export.PipelineObserver;
import io.meshlog.schemas.serde.AvroSerde;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.v1.DeadLetter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' handler for records that cannot be decoded: each becomes a DeadLetter (reason,
 * source topic/partition/offset, the schema fingerprint it claimed, its raw key and value) on the
 * dead-letter topic, written by Kafka Streams in the same transaction as the task's output, and
 * processing goes on. Counted through the {@link PipelineObserver}.
 *
 * <p>Configured through the Streams properties: {@value #TOPIC_CONFIG} (the dead-letter topic)
 * and {@value #OBSERVER_CONFIG} (a {@link PipelineObserver} instance, optional).
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler {
    /** Streams property naming the dead-letter topic. */
    public static final String TOPIC_CONFIG = "meshlog.dlq.topic";
    /** Streams property holding the {@link PipelineObserver} to count dead letters with. */
    public static final String OBSERVER_CONFIG = "meshlog.dlq.observer";

    private static final Logger LOGGER = LoggerFactory.getLogger(DeadLetterHandler.class);

    private final AvroSerde<DeadLetter> serde = MeshSerdes.deadLetter();
    private final Clock clock;
    private String topic;
    private PipelineObserver observer = PipelineObserver.NONE;

    public DeadLetterHandler() {
        this(Clock.systemUTC());
    }

    DeadLetterHandler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        var name = configs.get(TOPIC_CONFIG);
        if (!(name instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(TOPIC_CONFIG + " must name the dead-letter topic, but was " + name);
        }
        topic = s;
        if (configs.get(OBSERVER_CONFIG) instanceof PipelineObserver o) {
            observer = o;
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        var letter = DeadLetters.of(record.topic(), record.partition(), record.offset(), record.key(),
                record.value(), exception, context.processorNodeId(), clock.millis());
        LOGGER.atWarn().addKeyValue("topic", record.topic()).addKeyValue("partition", record.partition())
                .addKeyValue("offset", record.offset()).addKeyValue("error", letter.getReason())
                .log("undecodable record sent to the dead-letter topic");
        observer.onDeadLetter(record.topic());
        return Response.resume(List.of(new ProducerRecord<>(topic, null,
                record.timestamp() < 0 ? null : record.timestamp(), record.key(),
                serde.serialize(topic, letter))));
    }
}
