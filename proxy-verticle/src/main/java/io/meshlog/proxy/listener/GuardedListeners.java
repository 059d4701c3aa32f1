package io.meshlog.proxy.listener;

import io.meshlog.proxy.config.HttpLimits;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Starts the proxy's HTTP servers: the request listeners behind a {@link ConnectionGuard} (HTTP/1.1
 * only on the public port; with {@code h2c}, HTTP/2 prior-knowledge connections spliced to a
 * loopback h2c server of the same handler, see {@link H2cSplice}). One instance per event loop;
 * closes its servers.
 */
public final class GuardedListeners {
    private final Vertx vertx;
    private final HttpLimits limits;
    private final List<HttpServer> servers = new ArrayList<>();
    private NetClient spliceClient;

    public GuardedListeners(Vertx vertx, HttpLimits limits) {
        this.vertx = vertx;
        this.limits = limits;
    }

    /**
     * A guarded request listener; its actual port once bound.
     *
     * @param before runs first on each connection (the inbound transport sniffer), or null
     * @param h2c also serve HTTP/2 with prior knowledge
     * @param rejected told of each refused request
     */
    public Future<Integer> listen(String host, int port, HttpServerOptions options, Handler<HttpServerRequest> handler,
            Handler<HttpConnection> before, boolean h2c, Consumer<Rejection> rejected) {
        var public1 = ConnectionGuard.withDecoderLimits(new HttpServerOptions(options).setHttp2ClearTextEnabled(false),
                limits);
        if (!h2c) {
            return start(public1, handler, new ConnectionGuard(limits, rejected, before, null), host, port);
        }
        var loopback = vertx.createHttpServer(new HttpServerOptions(options).setHttp2ClearTextEnabled(true))
                .requestHandler(request -> {
                    if (request.version() == HttpVersion.HTTP_2) {
                        handler.handle(request);
                    } else {
                        request.connection().close(); // only spliced HTTP/2 belongs here
                    }
                });
        servers.add(loopback);
        return loopback.listen(0, "127.0.0.1").compose(h2 -> {
            spliceClient = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
            var splice = new H2cSplice(spliceClient, h2::actualPort);
            return start(public1, handler, new ConnectionGuard(limits, rejected, before, splice), host, port);
        });
    }

    private Future<Integer> start(HttpServerOptions options, Handler<HttpServerRequest> handler, ConnectionGuard guard,
            String host, int port) {
        var server = vertx.createHttpServer(options).requestHandler(handler).connectionHandler(guard)
                .invalidRequestHandler(guard::invalidRequest);
        servers.add(server);
        return server.listen(port, host).map(HttpServer::actualPort);
    }

    public Future<?> close() {
        var closes = new ArrayList<Future<?>>();
        servers.forEach(server -> closes.add(server.close()));
        if (spliceClient != null) {
            closes.add(spliceClient.close());
        }
        return Future.join(closes);
    }
}
