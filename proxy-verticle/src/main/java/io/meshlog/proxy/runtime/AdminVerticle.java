package io.meshlog.proxy.runtime;

import io.meshlog.proxy.admin.AdminHandler;
import io.meshlog.proxy.config.ListenerConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The admin port. Deployed as a worker verticle on its own one-thread pool, so that rendering
 * {@code /metrics} or {@code /config_dump} never runs on an event loop that carries requests.
 */
final class AdminVerticle extends VerticleBase {
    /** The worker pool every proxy's admin handler runs on (one thread: scrapes are rare and short). */
    static final String POOL = "meshlog-admin";

    private final ListenerConfig listener;
    private final AdminHandler handler;
    private HttpServer server;

    AdminVerticle(ListenerConfig listener, AdminHandler handler) {
        this.listener = listener;
        this.handler = handler;
    }

    @Override
    public Future<?> start() {
        server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setCompressionSupported(false)
                .setIdleTimeout(0)).requestHandler(handler);
        return server.listen(listener.port(), listener.host());
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    int port() {
        return server == null ? -1 : server.actualPort();
    }
}
