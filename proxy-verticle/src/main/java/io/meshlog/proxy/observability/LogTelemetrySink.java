package io.meshlog.proxy.observability;

import io.meshlog.proxy.telemetry.TelemetrySink;
import io.meshlog.schemas.v1.RequestTelemetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Static mode's "telemetry to a log": one INFO line per event on logger {@code meshlog.telemetry}. */
public final class LogTelemetrySink implements TelemetrySink {
    private static final Logger LOGGER = LoggerFactory.getLogger("meshlog.telemetry");

    @Override
    public void record(RequestTelemetry event) {
        LOGGER.atInfo().setMessage("request").addKeyValue("requestId", event.getRequestId())
                .addKeyValue("destination", event.getDestinationService()).addKeyValue("endpoint", event.getDestinationEndpoint())
                .addKeyValue("route", event.getRoute()).addKeyValue("method", event.getMethod())
                .addKeyValue("status", event.getStatus()).addKeyValue("flags", event.getResponseFlags())
                .addKeyValue("attempt", event.getAttempt()).addKeyValue("durationMicros", event.getDurationMicros()).log();
    }
}
