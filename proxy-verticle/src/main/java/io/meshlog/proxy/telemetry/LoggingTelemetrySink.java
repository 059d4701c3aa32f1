package io.meshlog.proxy.telemetry;

import io.meshlog.schemas.v1.RequestTelemetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Writes one compact line per event to the logger {@code meshlog.telemetry}, for a proxy that
 * runs from a static bootstrap file without Kafka. The line names no user data: no path, no
 * header, only the route, the destination and the outcome.
 */
public final class LoggingTelemetrySink implements TelemetrySink {
    /** The logger's name, so it can be routed to its own file or silenced. */
    public static final String LOGGER_NAME = "meshlog.telemetry";
    private static final Logger LOGGER = LoggerFactory.getLogger(LOGGER_NAME);

    private final Level level;

    /** Logs at DEBUG. */
    public LoggingTelemetrySink() {
        this(Level.DEBUG);
    }

    /** Logs at {@code level} (INFO when the user asked for telemetry in the log). */
    public LoggingTelemetrySink(Level level) {
        this.level = level;
    }

    @Override
    public void record(RequestTelemetry event) {
        if (!LOGGER.isEnabledForLevel(level)) {
            return;
        }
        LOGGER.atLevel(level).log("{} {} {} -> {}/{} {} {} flags={} {}us attempt={} trace={}",
                event.getReporter(), event.getMethod(), nullToDash(event.getRoute()),
                event.getDestinationService(), nullToDash(event.getDestinationSubset()),
                nullToDash(event.getDestinationEndpoint()), event.getStatus(),
                event.getResponseFlags().isEmpty() ? "-" : event.getResponseFlags(),
                event.getDurationMicros(), event.getAttempt(), event.getTraceId());
    }

    private static Object nullToDash(Object value) {
        return value == null ? "-" : value;
    }
}
