package io.meshlog.proxy;

import io.meshlog.proxy.bootstrap.StartupTraining;
import io.meshlog.proxy.bootstrap.StaticProxy;
import io.meshlog.proxy.bootstrap.BootstrapLoader;
import io.meshlog.proxy.config.ConfigException;
import io.meshlog.proxy.bootstrap.StaticBootstrap;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one proxy from a static bootstrap file, without Kafka or Hazelcast:
 * {@code java -cp ... io.meshlog.proxy.ProxyMain --bootstrap proxy.yaml}; or in control-plane mode
 * ({@code --mesh [--config proxy.properties]}, see {@link io.meshlog.proxy.mesh.MeshProxyProcess}).
 * {@code --train} with a bootstrap runs {@link StartupTraining} and exits: {@code bin/proxy-static.sh}
 * uses it to build the JVM's start-up archive.
 */
public final class ProxyMain {
    private static final Logger LOGGER = LoggerFactory.getLogger(ProxyMain.class);
    private static final String EVENT_LOOPS_ENV = io.meshlog.proxy.mesh.MeshProxyConfigLoader.EVENT_LOOPS_ENV;

    /** Enough for the request path's classes, and for Java 25 to record method profiles of it. */
    private static final int TRAINING_REQUESTS = 4_000;

    private ProxyMain() {}

    public static void main(String[] args) throws Exception {
        if (java.util.Arrays.asList(args).contains("--mesh")) {
            io.meshlog.proxy.mesh.MeshProxyProcess.run(optionValue(args, "--config"), System.getenv());
            return;
        }
        var file = bootstrapArgument(args);
        StaticBootstrap bootstrap;
        try {
            bootstrap = withEventLoops(BootstrapLoader.load(file), System.getenv(EVENT_LOOPS_ENV));
        } catch (ConfigException e) {
            LOGGER.atError().setMessage("bad bootstrap file").addKeyValue("error", e.getMessage()).log();
            System.exit(2);
            return;
        }
        if (java.util.Arrays.asList(args).contains("--train")) {
            int ok = StartupTraining.run(bootstrap, TRAINING_REQUESTS);
            LOGGER.atInfo().setMessage("start-up training done").addKeyValue("proxied200", ok).log();
            System.exit(ok > 0 ? 0 : 1);
        }
        var proxy = StaticProxy.start(bootstrap);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                proxy.close();
            } catch (Exception e) {
                LOGGER.atWarn().setMessage("shutdown incomplete").setCause(e).log();
            }
        }, "meshlog-proxy-shutdown"));
    }

    /** {@code MESHLOG_EVENT_LOOPS} wins over the bootstrap's {@code proxy.concurrency}. */
    static StaticBootstrap withEventLoops(StaticBootstrap bootstrap, String loops) {
        if (loops == null || loops.isBlank()) {
            return bootstrap;
        }
        int count;
        try {
            count = Integer.parseInt(loops.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(EVENT_LOOPS_ENV, "must be a whole number, but was '" + loops + "'");
        }
        return bootstrap.withProxy(bootstrap.proxy().withConcurrency(count));
    }

    private static Path optionValue(String[] args, String option) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(option)) {
                return Path.of(args[i + 1]);
            }
        }
        return null;
    }

    private static Path bootstrapArgument(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--bootstrap") || args[i].equals("-c")) {
                return Path.of(args[i + 1]);
            }
        }
        LOGGER.atError().setMessage("usage: ProxyMain --bootstrap <file.yaml> | --mesh [--config <file.properties>]").log();
        System.exit(2);
        return null;
    }
}
