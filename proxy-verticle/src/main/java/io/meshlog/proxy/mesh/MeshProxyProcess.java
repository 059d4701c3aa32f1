package io.meshlog.proxy.mesh;

import io.meshlog.proxy.config.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link MeshProxy} as a process: {@code ProxyMain --mesh [--config proxy.properties]},
 * settings from the file and {@code MESHLOG_PROXY_*}; with {@code MESHLOG_PROXY_JOIN_TOKEN_FILE} set
 * it obtains a workload certificate and speaks mTLS ({@link MeshProxy#withIdentity}). Exits with 2
 * on a bad configuration and 1 when the proxy cannot start; stops cleanly on SIGTERM.
 */
public final class MeshProxyProcess {
    private static final Logger LOGGER = LoggerFactory.getLogger(MeshProxyProcess.class);

    private MeshProxyProcess() {}

    /** Starts the proxy; returns once it is ready (the JVM then lives on its non-daemon threads). */
    public static void run(Path configFile, Map<String, String> env) throws InterruptedException {
        MeshProxyConfig config;
        try {
            config = MeshProxyConfigLoader.load(configFile, env);
        } catch (ConfigException e) {
            LOGGER.atError().addKeyValue("error", e.getMessage()).log("bad mesh proxy configuration");
            System.exit(2);
            return;
        }
        LOGGER.atInfo().addKeyValue("config", config).log("starting mesh proxy");
        var vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(config.proxy().concurrency()));
        var proxy = new MeshProxy(config);
        if (config.identity() != null) {
            // mTLS: the certificate comes from cert-service with the join token; ready only once it is applied
            proxy.withIdentity(config.identityConfig(), config.identity().rootNamespace());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOGGER.atWarn().setMessage("shutdown incomplete").setCause(e).log();
            }
        }, "meshlog-mesh-proxy-shutdown"));
        try {
            proxy.start(vertx).toCompletionStage().toCompletableFuture().get();
        } catch (java.util.concurrent.ExecutionException e) {
            LOGGER.atError().addKeyValue("error", String.valueOf(e.getCause())).log("mesh proxy could not start");
            System.exit(1);
        }
    }
}
