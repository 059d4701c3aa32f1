package io.meshlog.proxy.bootstrap;

import io.meshlog.proxy.config.ConfigException;
import io.meshlog.proxy.runtime.ProxyRuntime;
import io.meshlog.proxy.runtime.ProxyVerticle;
import io.meshlog.proxy.policy.PolicyState;
import io.meshlog.proxy.ratelimit.GlobalRateLimits;
import io.meshlog.proxy.telemetry.KafkaTelemetrySink;
import io.meshlog.proxy.telemetry.LoggingTelemetrySink;
import io.meshlog.proxy.telemetry.TelemetrySink;
import io.meshlog.proxy.tracing.OpenTelemetryRequestTracer;
import io.meshlog.proxy.tracing.RequestTracer;
import io.meshlog.proxy.tracing.TracingConfig;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;

/**
 * One proxy running from a static bootstrap (no Kafka, Hazelcast or cert-service): its own Vert.x
 * and its verticle, listening once {@link #start} returns.
 */
public final class StaticProxy implements AutoCloseable {
    private final Vertx vertx;
    private final ProxyVerticle verticle;
    private final TelemetrySink sink;
    private final GlobalRateLimits globalRateLimits;

    private StaticProxy(Vertx vertx, ProxyVerticle verticle, TelemetrySink sink, GlobalRateLimits globalRateLimits) {
        this.vertx = vertx;
        this.verticle = verticle;
        this.sink = sink;
        this.globalRateLimits = globalRateLimits;
    }

    /** Starts the listeners; throws when one cannot bind within 30 s. */
    public static StaticProxy start(StaticBootstrap bootstrap) throws Exception {
        var vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)
                .setEventLoopPoolSize(bootstrap.proxy().concurrency()));
        TelemetrySink closeOnFailure = null;
        try {
            var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            TelemetrySink sink = switch (bootstrap.proxy().telemetry()) {
                case NONE -> TelemetrySink.NONE;
                case LOG -> new LoggingTelemetrySink();
                case KAFKA -> new KafkaTelemetrySink(bootstrap.kafkaTelemetry(), registry);
            };
            closeOnFailure = sink;
            RequestTracer tracer = bootstrap.tracingSamplingPercentage() < 0 ? RequestTracer.NOOP
                    : OpenTelemetryRequestTracer.create(new TracingConfig(bootstrap.proxy().workload(),
                            bootstrap.tracingSamplingPercentage(), TracingConfig.B3Injection.MULTI,
                            TracingConfig.OtlpExport.OFF));
            var runtime = new ProxyRuntime(bootstrap.proxy(), new StaticEndpointDirectory(bootstrap.endpoints()), sink,
                    tracer, registry, Clock.systemUTC());
            var policies = new HashMap<String, PolicyEvent>();
            for (var policy : bootstrap.policies()) {
                // fail closed: a static proxy's scope is its bootstrap's service list, a Sidecar would be ignored
                ConfigException.require(policy.getKind() != PolicyKind.Sidecar, PolicyState.keyOf(policy),
                        "a Sidecar scopes mesh-mode proxies only; a static proxy calls exactly the services its bootstrap lists");
                policies.put(PolicyState.keyOf(policy), policy);
            }
            runtime.policyUpdates().accept(new PolicyState(policies, 1));
            var verticle = new ProxyVerticle(runtime);
            vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new StaticProxy(vertx, verticle, sink, runtime.globalRateLimits());
        } catch (Exception | Error e) {
            vertx.close();
            if (closeOnFailure != null) {
                closeOnFailure.close();
            }
            throw e;
        }
    }

    public ProxyVerticle verticle() {
        return verticle;
    }

    /** Stops the listeners and Vert.x (at most 10 s), then flushes the telemetry sink. */
    @Override
    public void close() throws Exception {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            globalRateLimits.close();
            sink.close();
        }
    }
}
