package io.meshlog.pipeline.export;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's HTTP endpoint (the JDK's server, one thread): {@code GET /metrics} in the
 * Prometheus text format, {@code GET /ready} 200 while the streams run, 503 otherwise.
 */
public final class MetricsHttpServer implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(MetricsHttpServer.class);

    private final HttpServer server;

    /** Binds {@code host:port} (0: a free port) and starts serving. */
    public MetricsHttpServer(String host, int port, PrometheusMeterRegistry registry, BooleanSupplier ready) {
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the metrics endpoint on " + host + ":" + port, e);
        }
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            var thread = new Thread(r, "meshlog-pipeline-metrics-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/metrics", exchange -> respond(exchange, 200,
                "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/ready", exchange -> {
            boolean ok = ready.getAsBoolean();
            respond(exchange, ok ? 200 : 503, "text/plain", ok ? "ready\n" : "not ready\n");
        });
        server.start();
        LOGGER.atInfo().addKeyValue("port", port()).log("metrics endpoint listening");
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            var bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
