package io.meshlog.console.api;

import io.meshlog.console.model.MeshModel;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/events}: server-sent events telling a page that the model changed, at most once
 * a second ({@code event: update} with the model's version), so the page re-reads what it shows;
 * a comment every 15 s keeps proxies from closing an idle stream. Bounded in number.
 */
final class EventStream {
    /** More open streams than this are refused with 503. */
    static final int MAX_STREAMS = 100;
    private static final long CHECK_MILLIS = 1000;
    private static final int HEARTBEAT_EVERY = 15;

    private final Vertx vertx;
    private final MeshModel model;
    private final AtomicInteger open = new AtomicInteger();

    EventStream(Vertx vertx, MeshModel model) {
        this.vertx = vertx;
        this.model = model;
    }

    void handle(RoutingContext ctx) {
        if (open.incrementAndGet() > MAX_STREAMS) {
            open.decrementAndGet();
            ctx.response().setStatusCode(503).end("too many open event streams (" + MAX_STREAMS + ")");
            return;
        }
        var response = ctx.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-store");
        long[] last = {-1};
        int[] quiet = {0};
        response.write("retry: 2000\n\n");
        long timer = vertx.setPeriodic(0, CHECK_MILLIS, id -> {
            long version = model.version();
            if (version != last[0]) {
                last[0] = version;
                quiet[0] = 0;
                response.write("event: update\ndata: {\"version\":" + version + "}\n\n");
            } else if (++quiet[0] >= HEARTBEAT_EVERY) {
                quiet[0] = 0;
                response.write(": keep-alive\n\n");
            }
        });
        response.closeHandler(v -> {
            vertx.cancelTimer(timer);
            open.decrementAndGet();
        });
    }
}
