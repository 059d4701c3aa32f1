package io.meshlog.console.bench;

import static io.meshlog.console.ConsoleEvents.ack;
import static io.meshlog.console.ConsoleEvents.edge;
import static io.meshlog.console.ConsoleEvents.request;

import io.meshlog.console.ConsoleService;
import io.meshlog.console.config.ConsoleConfig;
import io.meshlog.kafka.embedded.EmbeddedBrokerConfig;
import io.meshlog.kafka.embedded.EmbeddedKafkaBroker;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Not a test: synthetic topics with {@code services} services (one workload each, in ten
 * namespaces) and {@code edges} edges with {@code windows} 10 s windows each, on an embedded
 * broker; the console reads them like any mesh, then this prints the graph API's p99 over HTTP,
 * the heap the model holds and the time headless Chromium takes to draw the whole graph.
 * Usage: {@code console/bench/console-bench.sh [services=500] [edges=2000] [windows=30]}.
 */
public final class ConsoleBench {
    private static final int NAMESPACES = 10;

    private ConsoleBench() {}

    public static void main(String[] args) throws Exception {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int edges = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int windows = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        var data = Files.createTempDirectory("console-bench");
        try (var broker = new EmbeddedKafkaBroker(EmbeddedBrokerConfig.ephemeral(data))) {
            broker.start();
            var topics = TopicCatalogue.standard();
            try (var admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                new TopicCreator(admin, (short) 1, Duration.ofSeconds(60)).ensure(topics.all());
            }
            produce(broker.bootstrapServers(), topics, services, edges, windows);
            long heapBefore = usedHeapAfterGc();
            try (var console = ConsoleService.start(ConsoleConfig.local(0, broker.bootstrapServers()), null,
                    Clock.systemUTC())) {
                var base = "http://127.0.0.1:" + console.port();
                var http = HttpClient.newHttpClient();
                // The 1 h window holds every window the bench wrote, however long loading took.
                awaitLoaded(http, base + "/api/graph?window=1h", edges);
                double modelMb = (usedHeapAfterGc() - heapBefore) / 1024.0 / 1024.0;
                double p99 = graphP99(http, base + "/api/graph?window=1h");
                double buildP99 = buildP99(console);
                var render = render(base + "/?window=1h");
                System.out.printf("services=%d edges=%d graph_api_p99_ms=%.1f model_mb=%.1f render_ms=%d"
                        + " (windows_per_edge=%d, in-process graph build+encode p99 %.1f ms, page: %s,"
                        + " load average %s; targets: p99<=50, render<=2000)%n", services, edges, p99, modelMb,
                        render.millis(), windows, buildP99, render.breakdown(),
                        Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            }
        }
    }

    private static void produce(String bootstrap, TopicCatalogue topics, int services, int edges, int windows)
            throws Exception {
        var random = new Random(42);
        var end = Instant.now().minusSeconds(1);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap, ProducerConfig.LINGER_MS_CONFIG, 20), new StringSerializer(), new ByteArraySerializer())) {
            for (int s = 0; s < services; s++) {
                var ns = "ns-" + (s % NAMESPACES);
                var workload = service(s) + "-v1";
                producer.send(new ProducerRecord<>(topics.configAcks().name(), workload,
                        MeshSerdes.configAck().serialize(null, ack(workload, workload, ns, Map.of()))));
                producer.send(new ProducerRecord<>(topics.telemetry().name(), service(s),
                        MeshSerdes.requestTelemetry().serialize(null, request("bench", ns, service(s), workload, "v1",
                                "10.0." + s / 250 + "." + s % 250 + ":8080", 200, List.of(), 5_000, end))));
            }
            for (int made = 0; made < edges; made++) {
                // Distinct pairs: each service calls the next few, so every service has callers.
                int from = made % services;
                int to = (from + 1 + made / services) % services;
                var source = service(from) + "-v1";
                for (int w = 0; w < windows; w++) {
                    producer.send(new ProducerRecord<>(topics.edges().name(), source + "->" + service(to),
                            MeshSerdes.edgeMetrics().serialize(null, edge(source, service(to),
                                    end.minusSeconds(10L * w), 100 + random.nextInt(400), random.nextInt(3),
                                    5 + random.nextInt(50)))));
                }
            }
            producer.flush();
        }
    }

    private static String service(int i) {
        return String.format("svc-%03d", i);
    }

    private static void awaitLoaded(HttpClient http, String url, int edges) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            var graph = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            long traffic = graph.getJsonArray("edges").stream()
                    .filter(e -> "traffic".equals(((JsonObject) e).getString("kind"))).count();
            if (traffic >= edges) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the console did not load " + edges + " edges within 3 minutes");
    }

    private static double graphP99(HttpClient http, String url) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).build();
        for (int i = 0; i < 200; i++) {
            http.send(request, HttpResponse.BodyHandlers.discarding());
        }
        var micros = new long[1000];
        for (int i = 0; i < micros.length; i++) {
            long start = System.nanoTime();
            http.send(request, HttpResponse.BodyHandlers.ofString());
            micros[i] = (System.nanoTime() - start) / 1000;
        }
        Arrays.sort(micros);
        return micros[(int) (micros.length * 0.99) - 1] / 1000.0;
    }

    /** The same work without HTTP: building and encoding the graph JSON. */
    private static double buildP99(ConsoleService console) {
        var micros = new long[300];
        for (int i = 0; i < micros.length; i++) {
            long start = System.nanoTime();
            io.meshlog.console.model.GraphBuilder.build(console.model(), null,
                    io.meshlog.console.model.TimeWindow.ONE_HOUR).encode();
            micros[i] = (System.nanoTime() - start) / 1000;
        }
        Arrays.sort(micros);
        return micros[(int) (micros.length * 0.99) - 1] / 1000.0;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        var rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private record Render(long millis, String breakdown) {}

    /**
     * The page's own measure: navigation start to ECharts' first "finished" event; with where the
     * time went (scripts loaded, graph fetched, options set, tables written).
     */
    private static Render render(String url) throws Exception {
        var profile = Files.createTempDirectory("console-bench-chromium");
        var options = new ChromeOptions().setBinary(Path.of("/usr/bin/chromium").toFile()).addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1600,1200", "--user-data-dir=" + profile);
        WebDriver driver = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build(), options);
        try {
            driver.get(url);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                var value = driver.findElement(org.openqa.selenium.By.tagName("body")).getDomAttribute("data-first-render-ms");
                if (value != null) {
                    var breakdown = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                            "const d = document.body.dataset, n = performance.getEntriesByType('navigation')[0];"
                                    + "return 'domContentLoaded ' + Math.round(n.domContentLoadedEventEnd)"
                                    + " + ' ms, graph fetched ' + d.graphFetchMs + ' ms after asked, drawn in '"
                                    + " + d.drawMs + ' ms, tables written in ' + d.mirrorMs + ' ms (done at '"
                                    + " + d.tablesMs + ' ms)';");
                    // What was drawn, to look at: console/target/console-bench.png.
                    var shot = ((org.openqa.selenium.TakesScreenshot) driver)
                            .getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
                    Files.write(Path.of("console/target/console-bench.png"), shot);
                    return new Render(Long.parseLong(value), String.valueOf(breakdown));
                }
                Thread.sleep(50);
            }
            throw new IllegalStateException("the page did not render within 60 s");
        } finally {
            driver.quit();
        }
    }
}
