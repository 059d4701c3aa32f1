package io.meshlog.console;

import io.meshlog.console.config.ConsoleConfigLoader;
import io.meshlog.console.findings.FindingsSource;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the console on its own (compose): settings from the environment (see
 * {@link ConsoleConfigLoader}), no findings source (analyze belongs to policy-service; the
 * {@code meshlog dev} launcher plugs it in), until the JVM is stopped.
 */
public final class ConsoleMain {
    private ConsoleMain() {}

    public static void main(String[] args) throws InterruptedException {
        var config = ConsoleConfigLoader.fromEnv(System.getenv());
        var console = ConsoleService.start(config, FindingsSource.NONE, Clock.systemUTC());
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.close();
            stopped.countDown();
        }, "meshlog-console-shutdown"));
        stopped.await();
    }
}
