package io.meshlog.pipeline;

import io.meshlog.schemas.v1.RequestTelemetry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Telemetry's stream time is its {@code eventTime} (when the proxy saw the attempt), not the time
 * the record reached Kafka, so buffered or replayed telemetry lands in the windows it belongs to.
 */
public final class TelemetryTimestampExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof RequestTelemetry telemetry && telemetry.getEventTime() != null) {
            return telemetry.getEventTime().toEpochMilli();
        }
        return record.timestamp() >= 0 ? record.timestamp() : partitionTime;
    }
}
