package io.meshlog.pipeline.canary;

import com.sun.net.httpserver.HttpServer;
import io.meshlog.schemas.v1.CanaryWebhook;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on 127.0.0.1 for webhook tests: each path answers the status set for it
 * (0: never answers, the exchange is left open until close) and keeps the bodies it was sent.
 */
final class WebhookServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final Map<String, List<String>> bodies = new ConcurrentHashMap<>();

    WebhookServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            var path = exchange.getRequestURI().getPath();
            var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(body);
            var status = statuses.getOrDefault(path, 404);
            if (status == 0) {
                return;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    void answer(String path, int status) {
        statuses.put(path, status);
    }

    List<String> bodies(String path) {
        return List.copyOf(bodies.getOrDefault(path, List.of()));
    }

    CanaryWebhook hook(String name, String type, String path) {
        return CanaryWebhook.newBuilder().setName(name).setType(type).setTimeout(2_000)
                .setUrl("http://127.0.0.1:" + server.getAddress().getPort() + path)
                .setMetadata(Map.of("team", "shop")).build();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
