package io.meshlog.proxy.bootstrap;

import io.meshlog.proxy.config.InboundListenerConfig;
import io.meshlog.proxy.config.ListenerConfig;
import io.meshlog.proxy.config.ProxyConfig;
import io.meshlog.proxy.config.TelemetryMode;
import io.meshlog.proxy.discovery.Endpoint;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A short run of a static proxy through its whole request path, so that the JVM's class-data
 * sharing archive (Java 17: {@code -XX:ArchiveClassesAtExit}) or ahead-of-time cache (Java 25:
 * {@code -XX:AOTCacheOutput}) holds what a real start needs before its first proxied 200, not just
 * what runs up to "listening".
 *
 * <p>The user's bootstrap is kept (its services, routes and policies are what the real start
 * parses and compiles) but every listener moves to a free port on 127.0.0.1, so training never
 * collides with a running proxy, and one extra service points at a local upstream started here.
 * Telemetry goes nowhere: training requests must never reach a real telemetry topic.
 */
public final class StartupTraining {
    /** The service the training's requests go to; not a name users' bootstraps are expected to use. */
    static final String TRAINING_SERVICE = "meshlog-startup-training";

    private StartupTraining() {}

    /**
     * Runs {@code requests} requests through the outbound listener, a quarter as many through the
     * inbound one, and each admin page once, then stops everything.
     *
     * @return how many of the proxied requests were answered 200 (all of them when the request path works)
     */
    public static int run(StaticBootstrap bootstrap, int requests) throws Exception {
        var vertx = Vertx.vertx();
        try {
            HttpServer upstream = vertx.createHttpServer()
                    .requestHandler(request -> request.response().end("trained\n"))
                    .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
            try (var proxy = StaticProxy.start(onFreePorts(bootstrap, upstream.actualPort()))) {
                var client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                        new PoolOptions().setHttp1MaxSize(8));
                var verticle = proxy.verticle();
                var context = vertx.getOrCreateContext();
                int ok = drive(context, client, verticle.outboundPort(), TRAINING_SERVICE, "/", requests)
                        + drive(context, client, verticle.inboundPort(), "localhost", "/", Math.max(1, requests / 4));
                for (var page : List.of("/ready", "/metrics", "/clusters", "/config_dump")) {
                    drive(context, client, verticle.adminPort(), "localhost", page, 1);
                }
                client.close().await(10, TimeUnit.SECONDS);
                return ok;
            }
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    static StaticBootstrap onFreePorts(StaticBootstrap bootstrap, int upstreamPort) {
        var proxy = bootstrap.proxy();
        var inboundTimeout = proxy.inbound() == null ? Duration.ofSeconds(15) : proxy.inbound().timeout();
        var trained = new ProxyConfig(proxy.proxyId(), proxy.workload(), proxy.namespace(), proxy.labels(),
                new ListenerConfig("127.0.0.1", 0),
                new InboundListenerConfig(new ListenerConfig("127.0.0.1", 0), "127.0.0.1", upstreamPort, inboundTimeout),
                new ListenerConfig("127.0.0.1", 0), TelemetryMode.NONE, proxy.retryBufferBytes(), proxy.http(),
                proxy.concurrency(), proxy.mirror());
        var endpoints = new ArrayList<>(bootstrap.endpoints());
        endpoints.add(new Endpoint(TRAINING_SERVICE, "127.0.0.1", upstreamPort, proxy.labels(), TRAINING_SERVICE, ""));
        return new StaticBootstrap(trained, endpoints, bootstrap.policies(), bootstrap.tracingSamplingPercentage(), null);
    }

    /**
     * {@code count} GETs, eight at a time; returns how many were answered 200. Requests start on a
     * Vert.x context: started from the main thread, about one request in a thousand never completed
     * here (Vert.x 5.0.7, the upstream had answered it); on a context all of them do.
     */
    private static int drive(Context context, HttpClient client, int port, String host, String path, int count)
            throws Exception {
        var inFlight = 8;
        int ok = 0;
        for (int sent = 0; sent < count; sent += inFlight) {
            var batch = new ArrayList<Future<Integer>>();
            for (int i = sent; i < Math.min(count, sent + inFlight); i++) {
                Promise<Integer> status = Promise.promise();
                context.runOnContext(start -> client.request(new RequestOptions().setMethod(HttpMethod.GET)
                                .setHost("127.0.0.1").setPort(port).setURI(path).putHeader("host", host))
                        .compose(request -> request.send()
                                .compose(response -> response.body().map(body -> response.statusCode())))
                        .onComplete(status));
                batch.add(status.future());
            }
            Future.join(batch).otherwiseEmpty().await(10, TimeUnit.SECONDS); // failures are counted below
            ok += (int) batch.stream().filter(f -> f.succeeded() && f.result() == 200).count();
        }
        return ok;
    }
}
