package io.meshlog.proxy.runtime;

import io.meshlog.proxy.admin.AdminHandler;
import io.meshlog.proxy.config.ListenerConfig;
import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.proxy.http.ForwardPathProbe;
import io.meshlog.proxy.inbound.InboundInterceptor;
import io.meshlog.proxy.inbound.ListenerRateLimitInterceptor;
import io.meshlog.proxy.http.RequestLabels;
import io.meshlog.proxy.observability.WorkloadMetadata;
import io.meshlog.proxy.resilience.Cluster;
import io.meshlog.proxy.security.TransportSecurity;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxy's listeners: outbound (HTTP/1.1 and h2c) and inbound (interceptor chain, then the local
 * app) served by {@code concurrency} event loops, one {@link LoopVerticle} each, sharing their
 * ports (Envoy's {@code --concurrency}); admin on its own worker thread ({@link AdminVerticle}), so
 * scrapes never run on a request loop. Only wires; requests are handled by the handlers. The actual
 * ports (a config port of 0 picks a free one) are readable once started.
 */
public final class ProxyVerticle extends VerticleBase {
    private static final Logger LOGGER = LoggerFactory.getLogger(ProxyVerticle.class);

    private final ProxyRuntime runtime;
    private final List<InboundInterceptor> extraInterceptors;
    private final UnaryOperator<HttpServerOptions> inboundOptions;
    private final BooleanSupplier ready;
    /** Numbers for listeners on port 0 (see {@link #bindPort}); Vert.x shares servers per number. */
    private static final AtomicInteger SHARED_RANDOM_PORTS = new AtomicInteger();

    private final List<LoopVerticle> loops = new CopyOnWriteArrayList<>();
    private volatile int outboundPort = -1;
    private volatile int inboundPort = -1;
    private volatile int adminPort = -1;
    private volatile boolean listening;

    public ProxyVerticle(ProxyRuntime runtime) {
        this(runtime, List.of(), UnaryOperator.identity());
    }

    /**
     * @param extraInterceptors inbound interceptors that run, in order, before the listener rate
     *     limit (peer identity, authorization)
     * @param inboundOptions adjusts the inbound listener's server options (e.g. mTLS: SSL on,
     *     key/cert, trust, {@code ClientAuth.REQUIRED})
     */
    public ProxyVerticle(ProxyRuntime runtime, List<InboundInterceptor> extraInterceptors,
            UnaryOperator<HttpServerOptions> inboundOptions) {
        this(runtime, extraInterceptors, inboundOptions, () -> true);
    }

    /**
     * @param ready what else {@code /ready} waits for besides the listeners and the certificate
     *     (control-plane mode: the policy topic replayed, {@code MeshProxy::isReady})
     */
    public ProxyVerticle(ProxyRuntime runtime, List<InboundInterceptor> extraInterceptors,
            UnaryOperator<HttpServerOptions> inboundOptions, BooleanSupplier ready) {
        this.runtime = runtime;
        this.extraInterceptors = List.copyOf(extraInterceptors);
        this.inboundOptions = inboundOptions;
        this.ready = ready;
    }

    @Override
    public Future<?> start() {
        var config = runtime.config();
        var security = runtime.security();
        var service = config.labels().getOrDefault("app", config.workload());
        var labels = new RequestLabels(WorkloadMetadata.of(config.workload(), config.namespace(), config.labels()), service,
                () -> security.flatMap(TransportSecurity::material).map(m -> m.spiffeId().uri()).orElse(null));
        Cluster app = null;
        var interceptors = new ArrayList<InboundInterceptor>();
        if (config.inbound() != null) {
            var inbound = config.inbound();
            app = new Cluster("inbound|" + inbound.appPort(), List.of(new Endpoint(service, inbound.appHost(),
                    inbound.appPort(), config.labels(), config.workload(), "")));
            security.ifPresent(s -> interceptors.addAll(s.inboundInterceptors())); // identity first, then authz
            interceptors.addAll(extraInterceptors);
            interceptors.add(new ListenerRateLimitInterceptor(runtime.metrics()));
        }
        var parts = new ListenerParts(runtime, List.copyOf(interceptors), inboundOptions, labels, app);
        int outboundBind = bindPort(config.outbound());
        int inboundBind = config.inbound() == null ? 0 : bindPort(config.inbound().listen());
        var index = new AtomicInteger();
        var options = new DeploymentOptions().setInstances(config.concurrency());
        return vertx.deployVerticle(() -> {
                    var loop = new LoopVerticle(parts, index.getAndIncrement(), outboundBind, inboundBind);
                    loops.add(loop);
                    return loop;
                }, options)
                .compose(id -> {
                    outboundPort = loops.get(0).outboundPort();
                    inboundPort = loops.get(0).inboundPort();
                    return config.admin() == null ? Future.succeededFuture() : startAdmin(config.admin(), security);
                })
                .onSuccess(all -> {
                    listening = true;
                    LOGGER.atInfo().setMessage("proxy listening").addKeyValue("proxyId", config.proxyId())
                            .addKeyValue("outbound", outboundPort).addKeyValue("inbound", inboundPort)
                            .addKeyValue("admin", adminPort).addKeyValue("eventLoops", config.concurrency())
                            .addKeyValue("nativeTransport", vertx.isNativeTransportEnabled()).log();
                });
    }

    /**
     * The port every loop's server listens on: the configured one, or for port 0 one negative
     * number per listener, which Vert.x turns into one random port shared by all the loops.
     */
    private static int bindPort(ListenerConfig listener) {
        return listener == null || listener.port() != 0 ? (listener == null ? 0 : listener.port())
                : -SHARED_RANDOM_PORTS.incrementAndGet();
    }

    private Future<?> startAdmin(ListenerConfig listener, java.util.Optional<TransportSecurity> security) {
        var handler = new AdminHandler(runtime.snapshots(), runtime.clusters(), runtime.ejections(),
                runtime.clusterRetryBudgets(), runtime.telemetrySink(), runtime.registry(),
                () -> listening && security.map(TransportSecurity::ready).orElse(true) && ready.getAsBoolean(),
                security.<java.util.function.Supplier<io.vertx.core.json.JsonObject>>map(s -> s::certs).orElse(null),
                runtime.globalRateLimits());
        var admin = new AdminVerticle(listener, handler);
        var options = new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
                .setWorkerPoolName(AdminVerticle.POOL).setWorkerPoolSize(1);
        return vertx.deployVerticle(admin, options)
                .onSuccess(id -> adminPort = admin.port())
                .onFailure(e -> LOGGER.atError().setMessage("listener failed").addKeyValue("listener", "admin")
                        .addKeyValue("address", listener.host() + ":" + listener.port()).setCause(e).log());
    }

    @Override
    public Future<?> stop() {
        listening = false;
        return Future.succeededFuture(); // the loops and the admin verticle are children: undeployed with this one
    }

    /** Test hook of both listeners' forward path (see {@link ForwardPathProbe}); call once started. */
    public void forwardPathProbe(ForwardPathProbe probe) {
        loops.forEach(loop -> loop.probe(probe));
    }

    /** This proxy's deployment; undeploying it stops its loops and admin port too (they are its children). */
    public String deploymentID() { return context.deploymentID(); }

    public int outboundPort() { return outboundPort; }
    public int inboundPort() { return inboundPort; }
    public int adminPort() { return adminPort; }
}
