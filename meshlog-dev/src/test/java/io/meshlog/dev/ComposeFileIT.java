package io.meshlog.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker path without Docker: {@code compose/docker-compose.yml} is what Debian's
 * docker-compose accepts, every image it builds has its Dockerfile stage, the demo's entry point
 * compiles, every dashboard expression is PromQL a real Prometheus parses, Prometheus scrapes the
 * ports the services listen on, and compose/README.md documents the ports the file publishes.
 */
class ComposeFileIT {
    private static final Path ROOT = DashboardQueries.repositoryRoot();
    private static final Path COMPOSE_FILE = ROOT.resolve("compose/docker-compose.yml");
    private static JsonNode services;

    @BeforeAll
    static void resolveComposeFile() throws Exception {
        var result = run(List.of("docker-compose", "-f", COMPOSE_FILE.toString(), "config"));
        assertThat(result.exit()).as("docker-compose config:\n%s", result.output()).isZero();
        services = new YAMLMapper().readTree(result.stdout()).path("services");
        assertThat(services.size()).as("services in the resolved compose file").isGreaterThan(10);
    }

    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        var result = run(List.of("docker-compose", "-f", COMPOSE_FILE.toString(), "config", "-q"));

        assertThat(result.exit()).as("docker-compose config -q said:\n%s", result.output()).isZero();
    }

    @Test
    void everyBuiltImageHasItsDockerfileStageAndEveryCopiedPathExists() throws IOException {
        var checked = 0;
        for (var entry : iterable(services)) {
            var build = entry.getValue().path("build");
            if (build.isMissingNode()) {
                continue;
            }
            var context = Path.of(build.path("context").asText());
            var dockerfile = context.resolve(build.path("dockerfile").asText("Dockerfile"));
            assertThat(dockerfile).as("Dockerfile of service %s", entry.getKey()).isRegularFile();
            var text = Files.readString(dockerfile);
            var target = build.path("target").asText("");
            if (!target.isEmpty()) {
                assertThat(Pattern.compile("(?im)^FROM\\s+\\S+\\s+AS\\s+" + Pattern.quote(target) + "\\s*$").matcher(text).find())
                        .as("%s has a stage 'AS %s' (build target of service %s)", dockerfile, target, entry.getKey())
                        .isTrue();
            }
            for (var source : copiedFromContext(text)) {
                assertThat(context.resolve(source)).as("%s copies %s from the build context", dockerfile, source).exists();
            }
            checked++;
        }
        assertThat(checked).as("services built from this repository").isGreaterThanOrEqualTo(5);
    }

    @Test
    void demoEntryPointCompilesAgainstTheDemoClasses(@TempDir Path out) throws IOException {
        List<String> sources;
        try (var files = Files.walk(ROOT.resolve("compose/demo/src"))) {
            sources = files.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        var errors = new ByteArrayOutputStream();
        var args = new ArrayList<>(List.of("-d", out.toString(), "-cp", System.getProperty("java.class.path")));
        args.addAll(sources);
        int exit = ToolProvider.getSystemJavaCompiler().run(null, null, errors, args.toArray(String[]::new));

        assertThat(sources).as("demo sources under compose/demo/src").isNotEmpty();
        assertThat(exit).as("javac of compose/demo/src (the Dockerfile's demo stage does the same):\n%s",
                errors.toString(StandardCharsets.UTF_8)).isZero();
    }

    @Test
    void everyDashboardParsesAndEveryPanelTargetHasAnExpressionOnTheProvisionedDatasource() throws IOException {
        var files = DashboardQueries.dashboardFiles(ROOT);
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("mesh-overview.json", "slos.json", "resilience.json", "proxies.json");
        var provisioned = Files.readString(ROOT.resolve("compose/grafana/provisioning/datasources/datasources.yml"));
        var uids = new HashSet<String>();
        for (var file : files) {
            var dashboard = DashboardQueries.read(file);
            assertThat(uids.add(dashboard.path("uid").asText())).as("%s has a unique uid", file).isTrue();
            var queries = DashboardQueries.of(file.getFileName().toString(), dashboard);
            assertThat(queries).as("%s has queries", file).isNotEmpty();
            for (var query : queries) {
                assertThat(query.expr()).as("expr of %s", query.where()).isNotBlank();
                assertThat(provisioned).as("datasource uid '%s' of %s is provisioned", query.datasourceUid(), query.where())
                        .contains("uid: " + query.datasourceUid());
            }
            for (var panel : DashboardQueries.panels(dashboard)) {
                var type = panel.path("type").asText();
                if (!type.equals("row") && !type.equals("text")) {
                    assertThat(panel.path("targets").size()).as("targets of panel \"%s\" in %s",
                            panel.path("title").asText(), file.getFileName()).isPositive();
                }
            }
        }
    }

    @Test
    void everyDashboardExpressionIsValidPromql(@TempDir Path directory) throws Exception {
        var queries = DashboardQueries.all(ROOT);
        var failures = new ArrayList<String>();
        try (var prometheus = LocalPrometheus.empty(directory)) {
            for (var query : queries) {
                var answer = prometheus.query(query.resolvedExpr());
                if (!"success".equals(answer.path("status").asText())) {
                    failures.add(query.where() + ": " + answer.path("errorType").asText() + ": "
                            + answer.path("error").asText() + "\n    " + query.expr());
                }
            }
            // The check itself can fail: a broken expression is refused as bad_data.
            assertThat(prometheus.query("sum(rate(istio_requests_total[1m]").path("errorType").asText()).isEqualTo("bad_data");
        }
        assertThat(queries).hasSizeGreaterThan(20);
        assertThat(failures).as("expressions Prometheus refuses").isEmpty();
    }

    @Test
    void prometheusScrapesThePortsTheServicesListenOnAndEveryProxy() throws Exception {
        var check = run(List.of("promtool", "check", "config", ROOT.resolve("compose/prometheus/prometheus.yml").toString()));
        assertThat(check.exit()).as("promtool check config:\n%s", check.output()).isZero();

        var scraped = new TreeSet<String>();
        try (var files = Files.list(ROOT.resolve("compose/prometheus/targets"))) {
            for (var file : files.sorted().toList()) {
                for (var group : new ObjectMapper().readTree(file.toFile())) {
                    for (var target : group.path("targets")) {
                        var hostPort = target.asText().split(":");
                        var service = services.path(hostPort[0]);
                        assertThat(service.isMissingNode()).as("%s in %s is a compose service", hostPort[0], file.getFileName()).isFalse();
                        assertThat(portsConfigured(service, "_PORT")).as("%s: a *_PORT setting of service %s", target.asText(), hostPort[0])
                                .contains(hostPort[1]);
                        scraped.add(hostPort[0]);
                    }
                }
            }
        }
        for (var entry : iterable(services)) {
            if (entry.getValue().path("environment").has("MESHLOG_PROXY_ADMIN_PORT")) {
                assertThat(scraped).as("sidecar of %s is scraped", entry.getKey()).contains(entry.getKey());
            }
        }
        assertThat(scraped).contains("telemetry-pipeline");
    }

    @Test
    void readmeDocumentsExactlyThePublishedPortsAndTheServicesUseThem() throws IOException {
        var documented = new TreeSet<String>();
        var row = Pattern.compile("^\\|\\s*`([a-z0-9-]+)`\\s*\\|\\s*(\\d+)\\s*\\|\\s*(\\d+)\\s*\\|");
        for (var line : Files.readAllLines(ROOT.resolve("compose/README.md"))) {
            var m = row.matcher(line);
            if (m.find()) {
                documented.add(m.group(1) + " " + m.group(2) + "->" + m.group(3));
            }
        }
        var published = new TreeSet<String>();
        for (var entry : iterable(services)) {
            for (var port : entry.getValue().path("ports")) {
                var parts = port.asText().replace("/tcp", "").split(":");
                assertThat(parts).as("port %s of %s is bound to 127.0.0.1", port.asText(), entry.getKey())
                        .hasSize(3).startsWith("127.0.0.1");
                var container = parts[2];
                published.add(entry.getKey() + " " + parts[1] + "->" + container);
                assertThat(mentions(entry.getValue(), container))
                        .as("service %s publishes container port %s: its environment, command or health check must use it",
                                entry.getKey(), container)
                        .isTrue();
            }
        }
        assertThat(published).as("published ports").isNotEmpty();
        assertThat(documented).as("ports in compose/README.md's table (| `service` | host | container |)")
                .isEqualTo(published);
    }

    // ------------------------------------------------------------------ helpers

    private record Result(int exit, String stdout, String output) {}

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(false).start();
        } catch (IOException e) {
            fail(command.get(0) + " is not installed (" + e.getMessage() + "): install Debian's package"
                    + " (apt-get install docker-compose prometheus); .ci/run installs them");
            throw e;
        }
        var stdout = process.getInputStream().readAllBytes();
        var stderr = process.getErrorStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 60 s");
        }
        var out = new String(stdout, StandardCharsets.UTF_8);
        return new Result(process.exitValue(), out, out + new String(stderr, StandardCharsets.UTF_8));
    }

    private static Set<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node.properties();
    }

    /** Values of settings whose name ends with {@code suffix}. */
    private static Set<String> portsConfigured(JsonNode service, String suffix) {
        var values = new HashSet<String>();
        for (var env : iterable(service.path("environment"))) {
            if (env.getKey().endsWith(suffix)) {
                values.add(env.getValue().asText());
            }
        }
        return values;
    }

    /** Whether the port number appears in the service's environment values, command or health check. */
    private static boolean mentions(JsonNode service, String port) {
        var number = Pattern.compile("(?<!\\d)" + port + "(?!\\d)");
        var places = new ArrayList<String>();
        for (var env : iterable(service.path("environment"))) {
            places.add(env.getValue().asText());
        }
        service.path("command").forEach(c -> places.add(c.asText()));
        places.add(service.path("command").asText(""));
        service.path("healthcheck").path("test").forEach(t -> places.add(t.asText()));
        return places.stream().anyMatch(p -> number.matcher(p).find());
    }

    /** Sources of COPY instructions that read from the build context (not from another stage). */
    private static List<String> copiedFromContext(String dockerfile) {
        var sources = new ArrayList<String>();
        var copy = Pattern.compile("(?m)^COPY\\s+(.*)$");
        var m = copy.matcher(dockerfile);
        while (m.find()) {
            var words = new ArrayList<>(List.of(m.group(1).trim().split("\\s+")));
            if (words.stream().anyMatch(w -> w.startsWith("--from="))) {
                continue;
            }
            words.removeIf(w -> w.startsWith("--"));
            sources.addAll(words.subList(0, words.size() - 1));
        }
        return sources;
    }
}
