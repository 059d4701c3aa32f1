package io.meshlog.console.api;

import io.meshlog.console.model.FindingsQuery;
import io.meshlog.console.model.MeshModel;
import io.meshlog.console.model.ServiceDetailBuilder;
import io.meshlog.console.model.ServiceRef;
import io.meshlog.console.model.TailFilter;
import io.meshlog.console.model.TailQuery;
import io.meshlog.console.model.TimeWindow;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.HashMap;
import java.util.function.Function;

/** The read endpoints of {@code /api}; each answers JSON, or 400/404 with {@code {"error": …}}. */
final class ApiHandlers {
    private final MeshModel model;
    private final GraphCache graphs;

    ApiHandlers(MeshModel model, Clock clock) {
        this.model = model;
        this.graphs = new GraphCache(model, clock);
    }

    void graph(RoutingContext ctx) {
        respond(ctx, c -> graphs.graph(namespace(c), TimeWindow.parse(c.queryParams().get("window"))));
    }

    void service(RoutingContext ctx) {
        answer(ctx, c -> ServiceDetailBuilder.build(model, serviceRef(c), TimeWindow.parse(c.queryParams().get("window")))
                .orElseThrow(() -> new NotFound("no service " + serviceRef(c) + " in the mesh's traffic")));
    }

    void tail(RoutingContext ctx) {
        answer(ctx, c -> {
            var query = new HashMap<String, String>();
            c.queryParams().forEach(query::put);
            var limit = query.getOrDefault("limit", "50");
            int n;
            try {
                n = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("limit must be a number, but was '" + limit + "'");
            }
            return TailQuery.build(model, serviceRef(c), TailFilter.fromQuery(query), n);
        });
    }

    void findings(RoutingContext ctx) {
        answer(ctx, c -> FindingsQuery.build(model, namespace(c)));
    }

    private static String namespace(RoutingContext c) {
        var ns = c.queryParams().get("namespace");
        return ns == null || ns.isBlank() ? null : ns;
    }

    private static ServiceRef serviceRef(RoutingContext c) {
        return new ServiceRef(c.pathParam("ns"), c.pathParam("name"));
    }

    private static void answer(RoutingContext ctx, Function<RoutingContext, JsonObject> body) {
        respond(ctx, c -> body.apply(c).toBuffer());
    }

    private static void respond(RoutingContext ctx, Function<RoutingContext, Buffer> body) {
        Buffer json;
        int status = 200;
        try {
            json = body.apply(ctx);
        } catch (NotFound e) {
            status = 404;
            json = new JsonObject().put("error", e.getMessage()).toBuffer();
        } catch (IllegalArgumentException e) {
            status = 400;
            json = new JsonObject().put("error", e.getMessage()).toBuffer();
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(json);
    }

    private static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }
    }
}
