package io.meshlog.proxy.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

class LoggingTelemetrySinkTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(LoggingTelemetrySink.LOGGER_NAME);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
        logger.setLevel(null);
    }

    @Test
    void writesOneCompactLinePerEventAtTheChosenLevel() {
        var sink = new LoggingTelemetrySink(Level.INFO);

        sink.record(TelemetryEvents.to("orders", 10));
        sink.record(TelemetryEvents.to("payments", 11));

        assertThat(lines.list).hasSize(2);
        assertThat(lines.list.get(0).getFormattedMessage()).isEqualTo(
                "SOURCE GET default -> orders/- 127.0.0.1:8080 503 flags=[UF] 1210us attempt=1 trace="
                        + String.format("%032x", 10));
    }

    @Test
    void logsNothingBelowItsLoggersLevel() {
        new LoggingTelemetrySink().record(TelemetryEvents.to("orders", 1));

        assertThat(lines.list).isEmpty();
    }
}
