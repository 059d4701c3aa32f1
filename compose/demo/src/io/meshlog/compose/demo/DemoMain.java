package io.meshlog.compose.demo;

import io.meshlog.dev.demo.DemoApp;
import io.meshlog.dev.demo.DemoServiceSpec;
import io.meshlog.dev.demo.LoadGenerator;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The application half of a compose demo container (its sidecar is the other process, started by
 * {@code demo-entrypoint.sh}). Reuses meshlog dev's demo classes, configured from the environment.
 *
 * <p>{@code DemoMain PORT_FILE} starts a DemoApp on a free 127.0.0.1 port and writes the port to
 * PORT_FILE for the sidecar; with DEMO_TARGET set it also runs a LoadGenerator that sends DEMO_RPS
 * requests a second to DEMO_TARGET through the sidecar's outbound listener.
 *
 * Environment: DEMO_SERVICE, DEMO_INSTANCE, DEMO_LABELS (a=b,c=d), DEMO_LATENCY (ms),
 * DEMO_ERROR_RATE, DEMO_FLAKY_AFTER (s), DEMO_FLAKY_ERROR_RATE, DEMO_CALLS (service:METHOD:/path,...),
 * DEMO_OUTBOUND_PORT (the sidecar's outbound listener, default 15001), DEMO_TARGET, DEMO_RPS,
 * DEMO_CANARY_FRACTION, DEMO_LOAD_DELAY (s). Exit code 2 on a bad setting, naming it.
 */
public final class DemoMain {
    private DemoMain() {}

    public static void main(String[] args) throws Exception {
        try {
            if (args.length != 1) {
                throw new IllegalArgumentException("usage: DemoMain PORT_FILE");
            }
            run(System.getenv(), Path.of(args[0]));
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(Map<String, String> env, Path portFile) throws Exception {
        var spec = spec(env);
        int outboundPort = integer(env, "DEMO_OUTBOUND_PORT", 15001);
        var target = env.get("DEMO_TARGET");
        var vertx = Vertx.vertx();
        var app = new DemoApp(vertx, spec, outboundPort, Clock.systemUTC());
        int port = app.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        var tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(tmp, port + "\n");
        Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
        System.err.println("demo: " + spec.instance() + " (" + spec.service() + ") listening on 127.0.0.1:" + port);
        var generator = target == null || target.isBlank() ? null : new LoadGenerator(vertx, "127.0.0.1", outboundPort, target.trim(),
                integer(env, "DEMO_RPS", 20), fraction(env, "DEMO_CANARY_FRACTION", 0.05));
        if (generator != null) {
            // The sidecar needs a moment to get its certificate and endpoints; early failures are counted, not fatal.
            vertx.setTimer(integer(env, "DEMO_LOAD_DELAY", 5) * 1000L, t -> generator.start());
            System.err.println("demo: sending " + env.getOrDefault("DEMO_RPS", "20") + " requests/s to " + target.trim());
        }
        awaitShutdown(() -> {
            if (generator != null) {
                generator.stop();
            }
            app.stop();
            vertx.close();
        });
    }

    static DemoServiceSpec spec(Map<String, String> env) {
        var flakyAfter = env.get("DEMO_FLAKY_AFTER");
        return new DemoServiceSpec(required(env, "DEMO_SERVICE"), required(env, "DEMO_INSTANCE"),
                labels(env.getOrDefault("DEMO_LABELS", "")),
                Duration.ofMillis(integer(env, "DEMO_LATENCY", 5)),
                fraction(env, "DEMO_ERROR_RATE", 0),
                flakyAfter == null || flakyAfter.isBlank() ? null : Duration.ofSeconds(integer(env, "DEMO_FLAKY_AFTER", 0)),
                fraction(env, "DEMO_FLAKY_ERROR_RATE", 0),
                calls(env.getOrDefault("DEMO_CALLS", "")));
    }

    static List<DemoServiceSpec.Call> calls(String text) {
        var calls = new ArrayList<DemoServiceSpec.Call>();
        for (var item : text.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            var parts = item.trim().split(":", 3);
            if (parts.length != 3 || !parts[2].startsWith("/")) {
                throw new IllegalArgumentException("DEMO_CALLS: expected service:METHOD:/path, but was '" + item + "'");
            }
            calls.add(new DemoServiceSpec.Call(parts[0], parts[1], parts[2]));
        }
        return calls;
    }

    static Map<String, String> labels(String text) {
        var labels = new HashMap<String, String>();
        for (var item : text.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            var kv = item.trim().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("DEMO_LABELS: expected key=value, but was '" + item + "'");
            }
            labels.put(kv[0], kv[1]);
        }
        return labels;
    }

    private static String required(Map<String, String> env, String name) {
        var value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be set");
        }
        return value.trim();
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        var value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": must be a whole number, but was '" + value + "'");
        }
    }

    private static double fraction(Map<String, String> env, String name, double fallback) {
        var value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(value.trim());
            if (parsed < 0 || parsed > 1) {
                throw new IllegalArgumentException(name + ": must be between 0 and 1, but was " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": must be a number, but was '" + value + "'");
        }
    }

    private static void awaitShutdown(Runnable stop) throws InterruptedException {
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            stopped.countDown();
        }, "demo-shutdown"));
        stopped.await();
    }
}
