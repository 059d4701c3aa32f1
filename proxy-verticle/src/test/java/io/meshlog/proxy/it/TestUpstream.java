package io.meshlog.proxy.it;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on a free port that answers 200 with its name (header {@code x-upstream}),
 * echoing the request id it saw; its behaviour can be swapped per test.
 */
final class TestUpstream {
    final String name;
    final AtomicInteger hits = new AtomicInteger();
    private final HttpServer server;
    private volatile Handler<HttpServerRequest> behaviour;

    TestUpstream(Vertx vertx, String name) throws Exception {
        this.name = name;
        this.behaviour = this::ok;
        this.server = vertx.createHttpServer().requestHandler(request -> {
            hits.incrementAndGet();
            behaviour.handle(request);
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    int port() {
        return server.actualPort();
    }

    void behave(Handler<HttpServerRequest> handler) {
        behaviour = handler;
    }

    void answer(int status) {
        behaviour = request -> request.body().onComplete(b -> request.response().setStatusCode(status)
                .putHeader("x-upstream", name).end(name));
    }

    void ok(HttpServerRequest request) {
        request.body().onComplete(body -> request.response()
                .putHeader("x-upstream", name)
                .putHeader("x-seen-request-id", String.valueOf(request.getHeader("x-request-id")))
                .putHeader("x-seen-host", String.valueOf(request.getHeader("host")))
                .putHeader("x-seen-traceparent", String.valueOf(request.getHeader("traceparent")))
                .end(name));
    }
}
