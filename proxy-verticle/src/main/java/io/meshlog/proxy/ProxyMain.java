package io.meshlog.proxy;

import io.meshlog.proxy.bootstrap.StaticEndpointDirectory;
import io.meshlog.proxy.config.BootstrapLoader;
import io.meshlog.proxy.config.ConfigException;
import io.meshlog.proxy.config.StaticBootstrap;
import io.meshlog.proxy.config.TelemetryMode;
import io.meshlog.proxy.policy.PolicyState;
import io.meshlog.proxy.telemetry.LoggingTelemetrySink;
import io.meshlog.proxy.telemetry.TelemetrySink;
import io.meshlog.proxy.tracing.OpenTelemetryRequestTracer;
import io.meshlog.proxy.tracing.TracingConfig;
import io.meshlog.proxy.tracing.RequestTracer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one proxy from a static bootstrap file, without Kafka or Hazelcast:
 * {@code java -cp ... io.meshlog.proxy.ProxyMain --bootstrap proxy.yaml}; or in control-plane mode
 * ({@code --mesh [--config proxy.properties]}, see {@link io.meshlog.proxy.mesh.MeshProxyProcess}).
 */
public final class ProxyMain {
    private static final Logger LOGGER = LoggerFactory.getLogger(ProxyMain.class);

    private ProxyMain() {}

    public static void main(String[] args) throws Exception {
        if (java.util.Arrays.asList(args).contains("--mesh")) {
            io.meshlog.proxy.mesh.MeshProxyProcess.run(optionValue(args, "--config"), System.getenv(), eventLoops());
            return;
        }
        var file = bootstrapArgument(args);
        StaticBootstrap bootstrap;
        try {
            bootstrap = BootstrapLoader.load(file);
        } catch (ConfigException e) {
            LOGGER.atError().setMessage("bad bootstrap file").addKeyValue("error", e.getMessage()).log();
            System.exit(2);
            return;
        }
        var vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(eventLoops()));
        var directory = new StaticEndpointDirectory(bootstrap.endpoints());
        TelemetrySink sink = bootstrap.proxy().telemetry() == TelemetryMode.LOG ? new LoggingTelemetrySink() : TelemetrySink.NONE;
        RequestTracer tracer = bootstrap.tracingSamplingPercentage() < 0 ? RequestTracer.NOOP
                : OpenTelemetryRequestTracer.create(new TracingConfig(bootstrap.proxy().workload(),
                        bootstrap.tracingSamplingPercentage(), TracingConfig.B3Injection.MULTI, TracingConfig.OtlpExport.OFF));
        var runtime = new ProxyRuntime(bootstrap.proxy(), directory, sink, tracer,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
        var policies = new HashMap<String, io.meshlog.schemas.v1.PolicyEvent>();
        bootstrap.policies().forEach(policy -> policies.put(PolicyState.keyOf(policy), policy));
        runtime.policyUpdates().accept(new PolicyState(policies, 1));
        var verticle = new ProxyVerticle(runtime);
        vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOGGER.atWarn().setMessage("shutdown incomplete").setCause(e).log();
            }
        }, "meshlog-proxy-shutdown"));
    }

    private static int eventLoops() {
        var configured = System.getenv("MESHLOG_EVENT_LOOPS");
        return configured != null ? Integer.parseInt(configured) : Math.max(1, Runtime.getRuntime().availableProcessors());
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
