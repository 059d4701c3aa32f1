package io.meshlog.proxy.runtime;

import io.meshlog.proxy.admin.AdminHandler;
import io.meshlog.proxy.config.ListenerConfig;
import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.proxy.fault.FaultInjector;
import io.meshlog.proxy.http.ForwardPathProbe;
import io.meshlog.proxy.http.Forwarder;
import io.meshlog.proxy.http.RequestFinisher;
import io.meshlog.proxy.http.UpstreamSecurity;
import io.meshlog.proxy.http.UpstreamClient;
import io.meshlog.proxy.inbound.InboundInterceptor;
import io.meshlog.proxy.inbound.InboundRequestHandler;
import io.meshlog.proxy.inbound.ListenerRateLimitInterceptor;
import io.meshlog.proxy.http.RequestLabels;
import io.meshlog.proxy.observability.WorkloadMetadata;
import io.meshlog.proxy.listener.GuardedListeners;
import io.meshlog.proxy.outbound.OutboundRequestHandler;
import io.meshlog.proxy.resilience.Backoff;
import io.meshlog.proxy.resilience.Cluster;
import io.meshlog.proxy.resilience.EndpointPicker;
import io.meshlog.proxy.resilience.RetryExecutor;
import io.meshlog.proxy.route.RouteMatcher;
import io.meshlog.proxy.security.TransportSecurity;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxy's listeners: outbound (HTTP/1.1 and h2c), inbound (interceptor chain, then the local
 * app) and admin. Only wires; requests are handled by the handlers. The actual ports (a config
 * port of 0 picks a free one) are readable once started.
 */
public final class ProxyVerticle extends VerticleBase {
    private static final Logger LOGGER = LoggerFactory.getLogger(ProxyVerticle.class);

    private final ProxyRuntime runtime;
    private final List<InboundInterceptor> extraInterceptors;
    private final UnaryOperator<HttpServerOptions> inboundOptions;
    private final BooleanSupplier ready;
    private GuardedListeners listeners;
    private UpstreamClient upstream;
    private Forwarder forwarder;
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
        listeners = new GuardedListeners(vertx, config.http());
        upstream = new UpstreamClient(vertx, security.map(TransportSecurity::upstream).orElse(UpstreamSecurity.PLAINTEXT));
        var service = config.labels().getOrDefault("app", config.workload());
        var labels = new RequestLabels(WorkloadMetadata.of(config.workload(), config.namespace(), config.labels()), service,
                () -> security.flatMap(TransportSecurity::material).map(m -> m.spiffeId().uri()).orElse(null));
        var finisher = new RequestFinisher(runtime.metrics(), runtime.telemetry(), labels);
        var retries = new RetryExecutor(new Backoff(bound -> ThreadLocalRandom.current().nextLong(bound)),
                (delay, task) -> {
                    if (delay <= 0) {
                        task.run();
                    } else {
                        vertx.setTimer(delay, id -> task.run());
                    }
                }, runtime.clusterRetryBudgets());
        var picker = new EndpointPicker(runtime.ejections(), bound -> ThreadLocalRandom.current().nextInt(bound));
        forwarder = new Forwarder(vertx, upstream, picker, runtime.ejections().local(), retries, finisher,
                config.maxRequestBytes());
        var starts = new ArrayList<Future<?>>();
        if (config.outbound() != null) {
            var handler = new OutboundRequestHandler(vertx, runtime.snapshots(), runtime.clusters(),
                    new RouteMatcher(bound -> ThreadLocalRandom.current().nextInt(bound)),
                    new FaultInjector(() -> ThreadLocalRandom.current().nextDouble(100)), forwarder, runtime.tracer(),
                    runtime.metrics());
            starts.add(listen(config.outbound(), handler, "outbound", UnaryOperator.identity())
                    .onSuccess(port -> outboundPort = port));
        }
        if (config.inbound() != null) {
            var inbound = config.inbound();
            var app = new Cluster("inbound|" + inbound.appPort(), List.of(new Endpoint(
                    config.labels().getOrDefault("app", config.workload()), inbound.appHost(), inbound.appPort(),
                    config.labels(), config.workload(), "")));
            var interceptors = new ArrayList<InboundInterceptor>();
            security.ifPresent(s -> interceptors.addAll(s.inboundInterceptors())); // identity first, then authz
            interceptors.addAll(extraInterceptors);
            interceptors.add(new ListenerRateLimitInterceptor(runtime.metrics()));
            var handler = new InboundRequestHandler(interceptors, runtime.snapshots(), forwarder, runtime.tracer(),
                    config.labels().getOrDefault("app", config.workload()), app, inbound.timeout().toMillis());
            UnaryOperator<HttpServerOptions> adjust = security.isPresent()
                    ? o -> security.get().inboundOptions(inboundOptions.apply(o)) : inboundOptions;
            starts.add(listen(inbound.listen(), handler, "inbound", adjust).onSuccess(port -> inboundPort = port));
        }
        if (config.admin() != null) {
            var handler = new AdminHandler(runtime.snapshots(), runtime.clusters(), runtime.ejections(),
                    runtime.clusterRetryBudgets(), runtime.telemetrySink(), runtime.registry(),
                    () -> listening && security.map(TransportSecurity::ready).orElse(true) && ready.getAsBoolean(),
                    security.<java.util.function.Supplier<io.vertx.core.json.JsonObject>>map(s -> s::certs).orElse(null),
                    runtime.globalRateLimits());
            starts.add(listen(config.admin(), handler, "admin", UnaryOperator.identity())
                    .onSuccess(port -> adminPort = port));
        }
        return Future.all(starts).onSuccess(all -> {
            listening = true;
            LOGGER.atInfo().setMessage("proxy listening").addKeyValue("proxyId", config.proxyId())
                    .addKeyValue("outbound", outboundPort).addKeyValue("inbound", inboundPort)
                    .addKeyValue("admin", adminPort).addKeyValue("nativeTransport", vertx.isNativeTransportEnabled()).log();
        });
    }

    private Future<Integer> listen(ListenerConfig listener, Handler<HttpServerRequest> handler, String name,
            UnaryOperator<HttpServerOptions> adjust) {
        var options = adjust.apply(new HttpServerOptions().setTcpNoDelay(true).setCompressionSupported(false)
                .setIdleTimeout(0));
        var metrics = runtime.metrics();
        Future<Integer> started;
        if (name.equals("admin")) {
            started = listeners.listenPlain(listener.host(), listener.port(), options, handler);
        } else {
            Handler<HttpConnection> before = name.equals("inbound")
                    ? runtime.security().<Handler<HttpConnection>>map(s -> s::secureConnection).orElse(null) : null;
            // h2c with prior knowledge is the app's to use on the outbound side; proxies call the inbound one over HTTP/1.1
            started = listeners.listen(listener.host(), listener.port(), options, handler, before, name.equals("outbound"),
                    why -> metrics.httpRejected(name, why.label(), why.status()));
        }
        return started.onFailure(e -> LOGGER.atError().setMessage("listener failed").addKeyValue("listener", name)
                .addKeyValue("address", listener.host() + ":" + listener.port()).setCause(e).log());
    }

    @Override
    public Future<?> stop() {
        listening = false;
        if (upstream != null) {
            upstream.close();
        }
        return listeners == null ? Future.succeededFuture() : listeners.close();
    }

    /** Test hook of both listeners' forward path (see {@link ForwardPathProbe}); call once started. */
    public void forwardPathProbe(ForwardPathProbe probe) {
        forwarder.probe(probe);
    }

    public int outboundPort() { return outboundPort; }
    public int inboundPort() { return inboundPort; }
    public int adminPort() { return adminPort; }
}
