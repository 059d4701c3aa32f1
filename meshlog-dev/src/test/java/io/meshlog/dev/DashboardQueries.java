package io.meshlog.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every PromQL expression of the Grafana dashboards in {@code compose/grafana/dashboards}, for
 * tests that check them (syntax here; "returns data" against a running mesh later). Template
 * variables ({@code $service}, {@code ${instance}}) are resolved to the variable's "All" value, as
 * a dashboard opened with its defaults would send them.
 */
public final class DashboardQueries {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");

    /** One panel target. {@code expr} may be blank: checking that is the caller's job. */
    public record Query(String dashboard, String panel, String refId, String datasourceUid, String expr,
            String resolvedExpr) {
        /** Where the expression is, for failure messages. */
        public String where() {
            return dashboard + " / \"" + panel + "\" / " + refId;
        }
    }

    private DashboardQueries() {}

    /** The repository root: the first directory up from the working directory with compose/docker-compose.yml. */
    public static Path repositoryRoot() {
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("compose/docker-compose.yml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no compose/docker-compose.yml above " + Path.of("").toAbsolutePath());
    }

    public static Path dashboardsDirectory(Path root) {
        return root.resolve("compose/grafana/dashboards");
    }

    /** Every dashboard file, sorted by name. */
    public static List<Path> dashboardFiles(Path root) {
        try (Stream<Path> files = Files.list(dashboardsDirectory(root))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dashboardsDirectory(root), e);
        }
    }

    /** Parses one dashboard; a file that is not JSON fails with its name and the parser's position. */
    public static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Every target of every panel (rows' nested panels included) of every dashboard. */
    public static List<Query> all(Path root) {
        var queries = new ArrayList<Query>();
        for (var file : dashboardFiles(root)) {
            queries.addAll(of(file.getFileName().toString(), read(file)));
        }
        return queries;
    }

    /** The targets of one parsed dashboard. */
    public static List<Query> of(String name, JsonNode dashboard) {
        var variables = allValues(dashboard);
        var queries = new ArrayList<Query>();
        for (var panel : panels(dashboard)) {
            for (var target : panel.path("targets")) {
                var expr = target.path("expr").asText("");
                var datasource = target.path("datasource").path("uid").asText(panel.path("datasource").path("uid").asText(""));
                queries.add(new Query(name, panel.path("title").asText("(untitled)"), target.path("refId").asText("?"),
                        datasource, expr, resolve(expr, variables)));
            }
        }
        return queries;
    }

    /** Every panel, with the panels nested in collapsed rows. */
    public static List<JsonNode> panels(JsonNode dashboard) {
        var panels = new ArrayList<JsonNode>();
        for (var panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    private static Map<String, String> allValues(JsonNode dashboard) {
        var values = new HashMap<String, String>();
        for (var variable : dashboard.path("templating").path("list")) {
            values.put(variable.path("name").asText(), variable.path("allValue").asText(".*"));
        }
        return values;
    }

    static String resolve(String expr, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(expr);
        var out = new StringBuilder();
        while (m.find()) {
            var name = m.group(1) != null ? m.group(1) : m.group(2);
            var value = variables.get(name);
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
