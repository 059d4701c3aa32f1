package io.meshlog.dev;

import io.meshlog.console.ConsoleService;
import io.meshlog.console.config.ConsoleConfig;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/** The web console on 127.0.0.1, with policy-service's analyze as its findings source. */
final class ConsoleComponent implements DevComponent {
    private final Supplier<String> bootstrapServers;
    private final int port;
    private ConsoleService console;

    ConsoleComponent(Supplier<String> bootstrapServers, int port) {
        this.bootstrapServers = bootstrapServers;
        this.port = port;
    }

    @Override
    public String name() {
        return "console";
    }

    @Override
    public void start() {
        try {
            console = ConsoleService.start(ConsoleConfig.local(port, bootstrapServers.get()), new AnalyzerFindings(),
                    Clock.systemUTC());
        } catch (RuntimeException e) {
            throw new DevStartException("cannot start the console on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + console.port() + "/";
    }

    @Override
    public List<String> endpoints() {
        return List.of("console                   " + url());
    }

    @Override
    public void close() {
        if (console != null) {
            console.close();
        }
    }
}
