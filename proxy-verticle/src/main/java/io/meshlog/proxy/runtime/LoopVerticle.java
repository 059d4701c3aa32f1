package io.meshlog.proxy.runtime;

import io.meshlog.proxy.config.ListenerConfig;
import io.meshlog.proxy.fault.FaultInjector;
import io.meshlog.proxy.http.ForwardPathProbe;
import io.meshlog.proxy.http.Forwarder;
import io.meshlog.proxy.http.RequestFinisher;
import io.meshlog.proxy.http.ShadowSender;
import io.meshlog.proxy.http.UpstreamClient;
import io.meshlog.proxy.http.UpstreamSecurity;
import io.meshlog.proxy.inbound.InboundRequestHandler;
import io.meshlog.proxy.listener.GuardedListeners;
import io.meshlog.proxy.outbound.OutboundRequestHandler;
import io.meshlog.proxy.resilience.Backoff;
import io.meshlog.proxy.resilience.EndpointPicker;
import io.meshlog.proxy.resilience.RetryExecutor;
import io.meshlog.proxy.route.RouteMatcher;
import io.meshlog.proxy.security.TransportSecurity;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound and inbound listeners on one event loop (one of Envoy's workers): its own servers on
 * the shared ports (Vert.x hands each new connection to the next loop's server), its own upstream
 * connection pools, retries and timers; everything else (snapshot, clusters, breakers, budgets,
 * limiters, metrics) is the runtime's and shared by every loop.
 */
final class LoopVerticle extends VerticleBase {
    private static final Logger LOGGER = LoggerFactory.getLogger(LoopVerticle.class);

    private final ListenerParts parts;
    private final int index;
    private final int outboundBind;
    private final int inboundBind;
    private GuardedListeners listeners;
    private UpstreamClient upstream;
    private Forwarder forwarder;
    private volatile int outboundPort = -1;
    private volatile int inboundPort = -1;

    /**
     * @param index this loop's number, the {@code loop} label of its request counter
     * @param outboundBind the port the outbound server listens on (negative: a random port shared
     *     by every server given the same number)
     */
    LoopVerticle(ListenerParts parts, int index, int outboundBind, int inboundBind) {
        this.parts = parts;
        this.index = index;
        this.outboundBind = outboundBind;
        this.inboundBind = inboundBind;
    }

    @Override
    public Future<?> start() {
        var runtime = parts.runtime();
        var config = runtime.config();
        var security = runtime.security();
        listeners = new GuardedListeners(vertx, config.http());
        upstream = new UpstreamClient(vertx, security.map(TransportSecurity::upstream).orElse(UpstreamSecurity.PLAINTEXT));
        var finisher = new RequestFinisher(runtime.metrics(), runtime.telemetry(), parts.labels());
        var retries = new RetryExecutor(new Backoff(bound -> ThreadLocalRandom.current().nextLong(bound)),
                (delay, task) -> {
                    if (delay <= 0) {
                        task.run();
                    } else {
                        vertx.setTimer(delay, id -> task.run());
                    }
                }, runtime.clusterRetryBudgets());
        var picker = new EndpointPicker(runtime.ejections(), bound -> ThreadLocalRandom.current().nextInt(bound));
        var shadows = new ShadowSender(vertx, upstream, picker, runtime.shadowGate(), runtime.metrics());
        forwarder = new Forwarder(vertx, upstream, picker, runtime.ejections().local(), retries, finisher,
                config.retryBufferBytes(), shadows);
        var starts = new ArrayList<Future<?>>();
        if (config.outbound() != null) {
            var handler = new OutboundRequestHandler(vertx, runtime.snapshots(), runtime.clusters(),
                    new RouteMatcher(bound -> ThreadLocalRandom.current().nextInt(bound)),
                    new FaultInjector(() -> ThreadLocalRandom.current().nextDouble(100)), forwarder, runtime.tracer(),
                    runtime.metrics());
            starts.add(listen(config.outbound(), outboundBind, handler, "outbound", UnaryOperator.identity())
                    .onSuccess(port -> outboundPort = port));
        }
        if (config.inbound() != null) {
            var inbound = config.inbound();
            var handler = new InboundRequestHandler(parts.inboundInterceptors(), runtime.snapshots(), forwarder,
                    runtime.tracer(), config.labels().getOrDefault("app", config.workload()), parts.app(),
                    inbound.timeout().toMillis());
            UnaryOperator<HttpServerOptions> adjust = security.isPresent()
                    ? o -> security.get().inboundOptions(parts.inboundOptions().apply(o)) : parts.inboundOptions();
            starts.add(listen(inbound.listen(), inboundBind, handler, "inbound", adjust)
                    .onSuccess(port -> inboundPort = port));
        }
        return Future.all(starts);
    }

    private Future<Integer> listen(ListenerConfig listener, int bind, Handler<HttpServerRequest> handler, String name,
            UnaryOperator<HttpServerOptions> adjust) {
        var options = adjust.apply(new HttpServerOptions().setTcpNoDelay(true).setCompressionSupported(false)
                .setIdleTimeout(0));
        var metrics = parts.runtime().metrics();
        Counter served = metrics.eventLoopRequests(index, name);
        Handler<HttpServerRequest> counted = request -> {
            served.increment();
            handler.handle(request);
        };
        Handler<HttpConnection> before = name.equals("inbound")
                ? parts.runtime().security().<Handler<HttpConnection>>map(s -> s::secureConnection).orElse(null) : null;
        // h2c with prior knowledge is the app's to use on the outbound side; proxies call the inbound one over HTTP/1.1
        return listeners.listen(listener.host(), bind, options, counted, before, name.equals("outbound"),
                        why -> metrics.httpRejected(name, why.label(), why.status()))
                .onFailure(e -> LOGGER.atError().setMessage("listener failed").addKeyValue("listener", name)
                        .addKeyValue("loop", index).addKeyValue("address", listener.host() + ":" + listener.port())
                        .setCause(e).log());
    }

    @Override
    public Future<?> stop() {
        if (upstream != null) {
            upstream.close();
        }
        return listeners == null ? Future.succeededFuture() : listeners.close();
    }

    void probe(ForwardPathProbe probe) {
        forwarder.probe(probe);
    }

    int outboundPort() { return outboundPort; }
    int inboundPort() { return inboundPort; }
}
