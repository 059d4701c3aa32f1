package io.meshlog.proxy.mesh;

import com.hazelcast.core.HazelcastInstance;
import io.meshlog.proxy.runtime.ProxyRuntime;
import io.meshlog.proxy.runtime.ProxyVerticle;
import io.meshlog.proxy.decisions.DecisionApplier;
import io.meshlog.proxy.decisions.DecisionsConsumer;
import io.meshlog.proxy.decisions.LocalEjectionPublisher;
import io.meshlog.proxy.decisions.DecisionsConsumerConfig;
import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.proxy.discovery.HazelcastConfigs;
import io.meshlog.proxy.discovery.HazelcastEndpointRegistry;
import io.meshlog.proxy.identity.IdentityConfig;
import io.meshlog.proxy.identity.WorkloadIdentity;
import io.meshlog.proxy.policy.ConfigAckConfig;
import io.meshlog.proxy.policy.ConfigAckPublisher;
import io.meshlog.proxy.policy.PolicyConsumerConfig;
import io.meshlog.proxy.policy.PolicyLogConsumer;
import io.meshlog.proxy.policy.PolicyScope;
import io.meshlog.proxy.policy.PolicyRejection;
import io.meshlog.proxy.ratelimit.GlobalRateLimitSettings;
import io.meshlog.proxy.ratelimit.HazelcastGlobalRateCounter;
import io.meshlog.proxy.security.MaterialSource;
import io.meshlog.proxy.snapshot.MeshSnapshot;
import io.meshlog.proxy.telemetry.KafkaTelemetryConfig;
import io.meshlog.proxy.telemetry.SuccessSampler;
import io.meshlog.proxy.telemetry.KafkaTelemetrySink;
import io.meshlog.proxy.tracing.OpenTelemetryRequestTracer;
import io.meshlog.proxy.tracing.RequestTracer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One control-plane proxy: listeners plus every background adapter, wired to one {@link
 * ProxyRuntime}. {@link #start(Vertx)} completes once the listeners are up, this workload is
 * registered and the policy topic has been replayed (ready); {@link #close()} undoes it all in
 * reverse order. Many instances may share one {@code Vertx} and one {@code HazelcastInstance}.
 */
public final class MeshProxy implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(MeshProxy.class);
    private static final long READY_POLL_MILLIS = 20;

    private final MeshProxyConfig config;
    private final HazelcastInstance sharedHazelcast;
    private final Clock clock;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** What to close, newest first. */
    private final Deque<Runnable> closers = new ConcurrentLinkedDeque<>();
    private volatile ProxyRuntime runtime;
    private volatile ProxyVerticle verticle;
    private volatile PolicyLogConsumer policies;
    private volatile Endpoint registered;
    private volatile boolean ready;
    private boolean started;
    private IdentityConfig identity;
    private String rootNamespace;
    private volatile java.util.concurrent.CompletableFuture<?> certificate;

    public MeshProxy(MeshProxyConfig config) {
        this(config, null, Clock.systemUTC());
    }

    /**
     * @param sharedHazelcast a running member or client shared with other proxies (not shut down by
     *     {@link #close()}), or null to connect as {@code config.hazelcast()} says
     * @param clock time for ejections, budgets and rate limits
     */
    public MeshProxy(MeshProxyConfig config, HazelcastInstance sharedHazelcast, Clock clock) {
        this.config = config;
        this.sharedHazelcast = sharedHazelcast;
        this.clock = clock;
    }

    /**
     * Turns on mutual TLS (call before {@link #start}): a {@link WorkloadIdentity} obtains this
     * workload's certificate from cert-service with the config's join token before the listeners
     * start serving mTLS; the proxy is ready only once the certificate is applied, and registers
     * itself with its SPIFFE id so callers originate mTLS to it.
     *
     * @param rootNamespace the namespace whose selector-less policies are mesh-wide
     */
    public synchronized MeshProxy withIdentity(IdentityConfig identity, String rootNamespace) {
        this.identity = identity;
        this.rootNamespace = rootNamespace;
        return this;
    }

    /** Starts everything; completes with this proxy once it is ready, fails (having cleaned up) if a part fails. */
    public synchronized Future<MeshProxy> start(Vertx vertx) {
        if (started) {
            return Future.failedFuture(new IllegalStateException("proxy " + config.proxy().proxyId() + " already started"));
        }
        started = true;
        return vertx.executeBlocking(this::startAdapters, false)
                .compose(watcher -> vertx.deployVerticle(verticle).map(id -> {
                    closers.push(() -> await(vertx.undeploy(id)));
                    return watcher;
                }))
                .compose(watcher -> vertx.executeBlocking(() -> register(watcher), false))
                .compose(v -> caughtUp(vertx))
                .compose(v -> certificateApplied(vertx))
                .map(v -> {
                    ready = true;
                    LOGGER.atInfo().addKeyValue("proxyId", config.proxy().proxyId())
                            .addKeyValue("service", config.service()).addKeyValue("outbound", outboundPort())
                            .addKeyValue("inbound", inboundPort()).addKeyValue("admin", adminPort())
                            .log("mesh proxy ready");
                    return this;
                })
                .recover(e -> vertx.executeBlocking(() -> {
                    LOGGER.atError().addKeyValue("proxyId", config.proxy().proxyId()).addKeyValue("error", e.toString())
                            .log("mesh proxy failed to start; stopping what had started");
                    close();
                    return null;
                }, false).transform(v -> Future.failedFuture(e)));
    }

    /** Blocking: Hazelcast, registry view, telemetry, tracer, runtime, ack publisher, consumers. */
    private HazelcastInstance startAdapters() {
        var hazelcast = sharedHazelcast;
        if (hazelcast == null) {
            var own = HazelcastConfigs.connect(config.hazelcast());
            closers.push(own::shutdown);
            hazelcast = own;
        }
        // watching starts with the first policy state, scoped by the Sidecar that applies to this proxy
        var watcher = new HazelcastEndpointRegistry(hazelcast, config.discovery(), null);
        closers.push(watcher::close);
        var bootstrap = config.bootstrapServers();
        var topics = config.topics();
        var kafkaSink = new KafkaTelemetrySink(KafkaTelemetryConfig.defaults(bootstrap, topics.telemetry().name())
                .withQueueCapacity(config.telemetryQueueSize()), registry);
        closers.push(kafkaSink::close);
        // Closed first: sends what it folded before the Kafka sink flushes.
        var sampled = SuccessSampler.of(kafkaSink, config.telemetrySampling(), clock);
        closers.push(sampled::close);
        RequestTracer tracer = RequestTracer.NOOP;
        if (config.tracing() != null) {
            var otel = OpenTelemetryRequestTracer.create(config.tracing());
            closers.push(otel::close);
            tracer = otel;
        }
        var proxy = config.proxy();
        runtime = new ProxyRuntime(proxy, watcher, ReporterFilter.of(sampled, config.telemetryReporters()), tracer,
                registry, clock, new HazelcastGlobalRateCounter(hazelcast, GlobalRateLimitSettings.DEFAULT.unavailableAfter()),
                rootNamespace());
        closers.push(runtime.globalRateLimits()::close);
        var acks = new ConfigAckPublisher(ConfigAckConfig.of(bootstrap, topics.configAcks().name(), proxy.proxyId(),
                proxy.workload(), proxy.namespace()));
        closers.push(acks::close);
        runtime.policyUpdates().onApplied(snapshot -> acknowledge(acks, snapshot));
        var scope = new PolicyScope(proxy.namespace(), proxy.labels(), rootNamespace());
        policies = new PolicyLogConsumer(PolicyConsumerConfig.defaults(bootstrap, topics.policy().name()), scope,
                state -> {
                    watcher.watch(state.scope()); // endpoints of the services in scope, before compiling
                    runtime.policyUpdates().accept(state);
                }, registry).start();
        closers.push(policies::close);
        var decisions = new DecisionsConsumer(DecisionsConsumerConfig.defaults(bootstrap, topics.decisions().name()),
                new DecisionApplier(runtime.clusterEjections(), runtime.clusterRetryBudgets()), registry).start();
        closers.push(decisions::close);
        var localEjections = new LocalEjectionPublisher(Map.of("bootstrap.servers", bootstrap), topics.decisions().name(),
                proxy.proxyId(), clock, registry);
        closers.push(localEjections::close);
        runtime.ejections().local().onChange(localEjections);
        if (identity != null) {
            var workload = new WorkloadIdentity(identity);
            closers.push(workload::close);
            runtime.enableSecurity(MaterialSource.of(workload), rootNamespace);
            certificate = workload.start(); // fails when cert-service refuses the join token
        }
        verticle = new ProxyVerticle(runtime, List.of(), UnaryOperator.identity(), this::isReady);
        return hazelcast;
    }

    /** The configured root namespace; plaintext proxies (no identity) too apply mesh-wide rules from it. */
    private String rootNamespace() {
        if (rootNamespace != null) {
            return rootNamespace;
        }
        return config.identity() != null ? config.identity().rootNamespace() : IdentitySettings.DEFAULT_ROOT_NAMESPACE;
    }

    private void acknowledge(ConfigAckPublisher acks, MeshSnapshot snapshot) {
        var rejected = snapshot.rejected().stream()
                .map(r -> new PolicyRejection(r.key(), r.generation(), r.reason())).toList();
        acks.publish(snapshot.version(), snapshot.generations(), rejected, snapshot.scope(), rootNamespace());
    }

    /** Blocking: registers this workload at its inbound listener's actual address. */
    private Void register(HazelcastInstance hazelcast) {
        var proxy = config.proxy();
        if (proxy.inbound() == null) {
            return null;
        }
        var self = new Endpoint(config.service(), config.registeredHost(), verticle.inboundPort(), proxy.labels(),
                proxy.workload(), identity != null ? identity.spiffeId().uri() : "",
                proxy.inbound().appPort()); // the service port callers' destination.port names
        var registrar = new HazelcastEndpointRegistry(hazelcast, config.discovery(), self, proxy.namespace())
                .startRegistering();
        closers.push(registrar::close);
        registered = self;
        return null;
    }

    private Future<Void> caughtUp(Vertx vertx) {
        var promise = Promise.<Void>promise();
        vertx.setPeriodic(READY_POLL_MILLIS, id -> {
            if (policies.isCaughtUp()) {
                vertx.cancelTimer(id);
                promise.tryComplete();
            }
        });
        return promise.future();
    }

    private Future<Void> certificateApplied(Vertx vertx) {
        // the identity's listeners (TransportSecurity among them) have the material when this completes
        return certificate == null ? Future.succeededFuture() : Future.fromCompletionStage(certificate).mapEmpty();
    }

    /**
     * Whether the listeners are up, this workload is registered, the policy topic has been replayed
     * and (with an identity) the certificate is applied; the admin port's {@code /ready} says the same.
     */
    public boolean isReady() {
        return ready;
    }

    /** The runtime the listeners share (snapshots, clusters, ejections, metrics); null before start. */
    public ProxyRuntime runtime() {
        return runtime;
    }

    public MeshProxyConfig config() {
        return config;
    }

    /** The registry entry of this workload, or null (no inbound listener, or not started). */
    public Endpoint registeredEndpoint() {
        return registered;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public int outboundPort() {
        return verticle == null ? -1 : verticle.outboundPort();
    }

    public int inboundPort() {
        return verticle == null ? -1 : verticle.inboundPort();
    }

    public int adminPort() {
        return verticle == null ? -1 : verticle.adminPort();
    }

    /**
     * Stops in reverse order of start: deregisters, closes the listeners, the consumers, the ack
     * publisher, telemetry (flushing within its bounds), the tracer, the registry view and an own
     * Hazelcast member. Blocks; do not call on an event loop. Failures are logged, the rest still closes.
     */
    @Override
    public synchronized void close() {
        ready = false;
        while (!closers.isEmpty()) {
            try {
                closers.pop().run();
            } catch (RuntimeException e) {
                LOGGER.atWarn().addKeyValue("proxyId", config.proxy().proxyId()).addKeyValue("error", e.toString())
                        .log("a part of the mesh proxy did not close cleanly");
            }
        }
    }

    private static void await(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("timed out or failed: " + e, e);
        }
    }
}
