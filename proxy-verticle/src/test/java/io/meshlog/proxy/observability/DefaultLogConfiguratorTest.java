package io.meshlog.proxy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import java.net.URL;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class DefaultLogConfiguratorTest {
    /** Hides logback XML files, as on the proxy's runtime classpath. */
    private static final ClassLoader WITHOUT_XML = new ClassLoader(DefaultLogConfiguratorTest.class.getClassLoader()) {
        @Override
        public URL getResource(String name) {
            return name.startsWith("logback") ? null : super.getResource(name);
        }
    };

    private static ExecutionStatus configureWith(ClassLoader loader, LoggerContext context) {
        var thread = Thread.currentThread();
        var previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            var configurator = new DefaultLogConfigurator();
            configurator.setContext(context);
            return configurator.configure(context);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Test
    void withoutAnyXmlTheProxyLogsKeyValueLinesToTheConsoleAndQuietsNettyAndVertx() {
        var context = new LoggerContext();

        assertThat(configureWith(WITHOUT_XML, context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

        var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        var appender = (ConsoleAppender<?>) root.getAppender("console");
        assertThat(appender.isStarted()).isTrue();
        assertThat(((PatternLayoutEncoder) appender.getEncoder()).getPattern()).contains("%kvp");
        assertThat(context.getLogger("io.netty.channel").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.vertx.core").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.meshlog.proxy").getEffectiveLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void aLogbackXmlOnTheClasspathStillWins() {
        var context = new LoggerContext();

        // the test classpath has logback-test.xml
        assertThat(configureWith(DefaultLogConfiguratorTest.class.getClassLoader(), context))
                .isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("console")).isNull();
    }
}
