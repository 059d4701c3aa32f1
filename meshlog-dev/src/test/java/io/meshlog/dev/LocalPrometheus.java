package io.meshlog.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Prometheus (Debian's {@code /usr/bin/prometheus}) on a free 127.0.0.1 port with its own
 * TSDB under a directory the caller owns. Stopped on {@link #close()}.
 *
 * <p>{@link #withComposeScrapeConfig} runs the compose stack's own {@code prometheus.yml} (same
 * jobs, same relabelling) with the targets a test gives, e.g. the ports of an embedded mesh.
 */
public final class LocalPrometheus implements AutoCloseable {
    public static final Path BINARY = Path.of(System.getProperty("meshlog.prometheus", "/usr/bin/prometheus"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LocalPrometheus(Path config, Path directory) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " not found: install Debian's prometheus package"
                    + " (apt-get install prometheus) or point -Dmeshlog.prometheus at a binary");
        }
        port = freePort();
        log = directory.resolve("prometheus.log");
        process = new ProcessBuilder(BINARY.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + directory.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitReady(Duration.ofSeconds(30));
    }

    /** Prometheus scraping nothing: for checking expressions. */
    public static LocalPrometheus empty(Path directory) throws IOException, InterruptedException {
        var config = directory.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1m\nscrape_configs: []\n");
        return new LocalPrometheus(config, directory);
    }

    /**
     * The compose stack's scrape config with these targets per job ({@code meshlog-proxies},
     * {@code meshlog-pipeline}, {@code meshlog-policy}; {@code host:port} each).
     */
    public static LocalPrometheus withComposeScrapeConfig(Path root, Map<String, List<String>> targetsByJob,
            Path directory) throws IOException, InterruptedException {
        var config = directory.resolve("prometheus.yml");
        Files.copy(root.resolve("compose/prometheus/prometheus.yml"), config);
        Files.createDirectories(directory.resolve("targets"));
        var files = Map.of("meshlog-proxies", "proxies.json", "meshlog-pipeline", "pipeline.json",
                "meshlog-policy", "policy.json");
        for (var file : files.entrySet()) {
            var targets = targetsByJob.getOrDefault(file.getKey(), List.of());
            Files.writeString(directory.resolve("targets").resolve(file.getValue()), targets.stream()
                    .map(t -> "{\"targets\": [\"" + t + "\"]}").collect(Collectors.joining(",\n ", "[", "]\n")));
        }
        return new LocalPrometheus(config, directory);
    }

    public int port() {
        return port;
    }

    /** The answer of {@code /api/v1/query} (an instant query now), whatever its status. */
    public JsonNode query(String expr) throws IOException, InterruptedException {
        var body = "query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8);
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        var deadline = Instant.now().plus(timeout);
        var ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + ": " + logTail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        close();
        throw new IllegalStateException("prometheus not ready on 127.0.0.1:" + port + " within " + timeout + ": " + logTail());
    }

    private String logTail() {
        try {
            var text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 2000));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
