package io.meshlog.dev.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A small real HTTP service of the demo. It answers after its latency, fails as its spec says,
 * and makes its downstream calls through its own sidecar's outbound listener (destination in the
 * Host header), so every hop is carried by the mesh. Runs on a Vert.x event loop.
 */
public final class DemoApp {
    private final Vertx vertx;
    private final DemoServiceSpec spec;
    private final int outboundPort;
    private final Clock clock;
    private final Instant startedAt;
    private HttpClient client;
    private HttpServer server;

    /**
     * @param outboundPort the sidecar's outbound listener on 127.0.0.1, or 0 when the app calls
     *     nobody
     */
    public DemoApp(Vertx vertx, DemoServiceSpec spec, int outboundPort, Clock clock) {
        this.vertx = vertx;
        this.spec = spec;
        this.outboundPort = outboundPort;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** Listens on 127.0.0.1 on a free port; the future holds the port. */
    public Future<Integer> start() {
        client = vertx.createHttpClient();
        server = vertx.createHttpServer().requestHandler(this::handle);
        return server.listen(0, "127.0.0.1").map(HttpServer::actualPort);
    }

    public Future<Void> stop() {
        var closed = new ArrayList<Future<?>>();
        if (server != null) {
            closed.add(server.close());
        }
        if (client != null) {
            closed.add(client.close());
        }
        return Future.join(closed).mapEmpty();
    }

    public DemoServiceSpec spec() {
        return spec;
    }

    /** Whether the instance has turned flaky by now. */
    public boolean flaky() {
        return spec.flakyAfter() != null
                && !clock.instant().isBefore(startedAt.plus(spec.flakyAfter()));
    }

    private void handle(HttpServerRequest request) {
        request.body().onComplete(ignored -> {
            long delay = Math.max(1, spec.latency().toMillis());
            vertx.setTimer(delay, t -> callDownstream(request));
        });
    }

    private void callDownstream(HttpServerRequest request) {
        var calls = new ArrayList<Future<Integer>>();
        for (var call : spec.calls()) {
            calls.add(call(call, request));
        }
        Future.join(calls).onComplete(done -> {
            int worst = 200;
            for (var f : calls) {
                int status = f.succeeded() ? f.result() : 503;
                worst = Math.max(worst, status >= 500 ? status : 200);
            }
            answer(request, worst >= 500 ? 502 : ownStatus());
        });
    }

    private Future<Integer> call(DemoServiceSpec.Call call, HttpServerRequest incoming) {
        var options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(call.method()))
                .setHost("127.0.0.1").setPort(outboundPort).setURI(call.path())
                .putHeader("host", call.service());
        // The canary opt-in header travels with the request, as an app would forward it.
        var canary = incoming.getHeader("x-canary-user");
        if (canary != null) {
            options.putHeader("x-canary-user", canary);
        }
        return client.request(options)
                .compose(r -> r.send(call.method().equals("POST") ? "{\"amount\":1}" : ""))
                .compose(DemoApp::drain);
    }

    private static Future<Integer> drain(HttpClientResponse response) {
        return response.body().map(ignored -> response.statusCode());
    }

    private int ownStatus() {
        var random = ThreadLocalRandom.current();
        if (flaky() && random.nextDouble() < spec.flakyErrorRate()) {
            return 503;
        }
        return random.nextDouble() < spec.errorRate() ? 500 : 200;
    }

    private void answer(HttpServerRequest request, int status) {
        if (request.response().closed()) {
            return;
        }
        request.response().setStatusCode(status)
                .putHeader("content-type", "application/json")
                .end("{\"service\":\"" + spec.service() + "\",\"instance\":\"" + spec.instance()
                        + "\",\"status\":" + status + "}");
    }
}
