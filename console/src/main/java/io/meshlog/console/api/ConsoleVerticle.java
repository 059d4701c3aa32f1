package io.meshlog.console.api;

import io.meshlog.console.config.ConsoleConfig;
import io.meshlog.console.model.MeshModel;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Clock;

/**
 * The console's HTTP server: the page and its assets (no authentication: they hold no data),
 * the OpenAPI document, and the read-only {@code /api} behind {@link BearerCheck}. Only wires.
 */
public final class ConsoleVerticle extends VerticleBase {
    /** The paths of every API route, as listed in {@code openapi.yaml} (a test keeps both in step). */
    public static final java.util.List<String> API_PATHS = java.util.List.of("/api/graph",
            "/api/services/{ns}/{name}", "/api/services/{ns}/{name}/tail", "/api/findings", "/api/events");

    private final ConsoleConfig config;
    private final MeshModel model;
    private final Clock clock;
    private HttpServer server;

    public ConsoleVerticle(ConsoleConfig config, MeshModel model, Clock clock) {
        this.config = config;
        this.model = model;
        this.clock = clock;
    }

    @Override
    public Future<?> start() {
        var router = Router.router(vertx);
        var api = new ApiHandlers(model, clock);
        router.get("/assets/echarts.min.js").handler(EchartsAsset.handler());
        router.route("/api/*").handler(new BearerCheck(config.tokens()));
        // Builders take the model's lock for a few ms: keep that off the event loop.
        router.get("/api/graph").blockingHandler(api::graph, false);
        router.get("/api/services/:ns/:name").blockingHandler(api::service, false);
        router.get("/api/services/:ns/:name/tail").blockingHandler(api::tail, false);
        router.get("/api/findings").blockingHandler(api::findings, false);
        router.get("/api/events").handler(new EventStream(vertx, model)::handle);
        router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false)
                .setIndexPage("index.html"));
        server = vertx.createHttpServer().requestHandler(router);
        return server.listen(config.port(), config.host());
    }

    /** The port listened on (after start). */
    public int port() {
        return server.actualPort();
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
