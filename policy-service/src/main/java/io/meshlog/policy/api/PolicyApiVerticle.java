package io.meshlog.policy.api;

import io.meshlog.policy.parse.DocumentParser;
import io.meshlog.policy.publish.PolicyWriter;
import io.meshlog.policy.store.LogReader;
import io.meshlog.policy.store.PolicyView;
import io.meshlog.policy.store.ProxyView;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;

/** Wires the REST API: routes, body limit, auth, error shape, health, metrics, OpenAPI. */
public final class PolicyApiVerticle extends VerticleBase {
    private static final String BASE = "/apis/meshlog.io/v1";
    private static final String ONE = BASE + "/namespaces/:ns/:kind/:name";

    private final String host;
    private final int port;
    private final int bodyLimit;
    private final PolicyHandlers handlers;
    private final BearerAuth auth;
    private final ApiMetrics metrics;
    private final PolicyView policies;
    private final ProxyView proxies;
    private final LogReader reader;
    private final PrometheusMeterRegistry registry;
    private HttpServer server;

    /** @param registry the registry scraped at {@code /metrics} (also the one meters go to) */
    public PolicyApiVerticle(String host, int port, int bodyLimit, DocumentParser parser, PolicyView policies,
            ProxyView proxies, LogReader reader, PolicyWriter writer, BearerAuth auth, PrometheusMeterRegistry registry) {
        this.host = host;
        this.port = port;
        this.bodyLimit = bodyLimit;
        this.metrics = new ApiMetrics(registry);
        this.handlers = new PolicyHandlers(parser, policies, writer, metrics);
        this.auth = auth;
        this.policies = policies;
        this.proxies = proxies;
        this.reader = reader;
        this.registry = registry;
    }

    @Override
    public Future<?> start() {
        var router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(bodyLimit));
        router.get("/health").handler(this::health);
        router.get("/metrics").handler(ctx -> ctx.response().putHeader("content-type", "text/plain; version=0.0.4")
                .end(registry.scrape()));
        var openApi = openApi();
        router.get("/openapi.json").handler(ctx -> ctx.response().putHeader("content-type", "application/json").end(openApi));
        router.get(BASE + "/proxies").handler(handle("proxies", false,
                (ctx, caller) -> Future.succeededFuture(new PolicyHandlers.Reply(200, ProxyStatus.render(proxies, policies)))));
        router.get(ONE + "/history").handler(handle("history", false, (ctx, caller) -> handlers.history(ctx)));
        router.post(ONE + "/rollback").handler(handle("rollback", true, handlers::rollback));
        router.put(ONE).handler(handle("put", true, handlers::put));
        router.get(ONE).handler(handle("get", false, (ctx, caller) -> handlers.get(ctx)));
        router.delete(ONE).handler(handle("delete", true, handlers::delete));
        router.get(BASE + "/namespaces/:ns/:kind").handler(handle("list", false, (ctx, caller) -> handlers.list(ctx)));
        router.get(BASE + "/:kind").handler(handle("list", false, (ctx, caller) -> handlers.list(ctx)));
        router.route().last().handler(ctx -> send(ctx, "unmatched", new ApiException(404, "no such endpoint: "
                + ctx.request().method() + " " + ctx.request().path())));
        router.route().failureHandler(ctx -> send(ctx, "failed", ctx.statusCode() == 413
                ? new ApiException(413, "request body is larger than " + bodyLimit + " bytes")
                : ctx.failure() != null ? ApiErrors.map(ctx.failure())
                : new ApiException(ctx.statusCode(), "request failed")));
        server = vertx.createHttpServer().requestHandler(router);
        return server.listen(port, host);
    }

    /** The port the API listens on (after start). */
    public int actualPort() {
        return server.actualPort();
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void health(RoutingContext ctx) {
        var up = reader.isReplayed() && reader.isRunning();
        ctx.response().setStatusCode(up ? 200 : 503).putHeader("content-type", "application/json")
                .end(new JsonObject().put("status", up ? "UP" : "DOWN").put("policies", policies.all().size())
                        .put("proxies", proxies.all().size()).encode());
    }

    private io.vertx.core.Handler<RoutingContext> handle(String route, boolean write,
            BiFunction<RoutingContext, String, Future<PolicyHandlers.Reply>> handler) {
        return ctx -> {
            Future<PolicyHandlers.Reply> reply;
            try {
                reply = handler.apply(ctx, auth.authenticate(ctx.request().getHeader("Authorization"), write));
            } catch (RuntimeException e) {
                reply = Future.failedFuture(e);
            }
            reply.onComplete(result -> {
                if (result.succeeded()) {
                    metrics.request(ctx.request().method().name(), route, result.result().status());
                    ctx.response().setStatusCode(result.result().status()).putHeader("content-type", "application/json")
                            .end(result.result().body().encode());
                } else {
                    send(ctx, route, ApiErrors.map(result.cause()));
                }
            });
        };
    }

    private void send(RoutingContext ctx, String route, ApiException error) {
        metrics.request(ctx.request().method().name(), route, error.status());
        if (error.status() == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"meshlog\"");
        }
        ctx.response().setStatusCode(error.status()).putHeader("content-type", "application/json")
                .end(ApiErrors.body(error).encode());
    }

    private static String openApi() {
        try (var in = PolicyApiVerticle.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
