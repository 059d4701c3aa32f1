package io.meshlog.policy.adoption;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.Locale;

/** An {@link Assessment} for the terminal, for tools (JSON) and for a design review (Markdown). */
public final class AssessmentReport {
    private AssessmentReport() {}

    public static void text(Assessment a, PrintWriter out) {
        out.printf(Locale.ROOT, "Mesh assessment over the last %s%n%n", window(a));
        out.printf(Locale.ROOT, "Services actively communicating: %d (%s)%n", a.services().size(), String.join(", ", a.services()));
        out.printf(Locale.ROOT, "Paths observed: %d of %d possible (n*(n-1))%n", a.paths().size(), a.possiblePaths());
        for (var p : a.paths()) {
            out.printf(Locale.ROOT, "  %-40s %7d requests  %5d retries  amplification %.2f%n",
                    p.source() + " -> " + p.destination(), p.requests(), p.retries(), p.amplification());
        }
        out.println();
        out.println("Network-layer incidents the mesh saw:");
        if (a.incidents().isEmpty()) {
            out.println("  none");
        }
        a.incidents().forEach((kind, count) -> out.printf(Locale.ROOT, "  %-40s %7d%n", kind, count));
        out.println("  (would-have ejections: recorded only by sidecars in observe-only mode)");
        out.println();
        out.println("Sidecar cost (measured):");
        out.println("  " + fleet(a.cost()));
        out.printf(Locale.ROOT, "  overhead per hop: p50 %.2f ms, p99 %.2f ms%n", a.cost().overheadP50Millis(),
                a.cost().overheadP99Millis());
        out.println();
        out.println("Verdict: " + a.verdict());
        a.reasons().forEach(r -> out.println("  - " + r));
        out.flush();
    }

    public static void json(Assessment a, PrintWriter out) {
        var paths = new JsonArray();
        a.paths().forEach(p -> paths.add(new JsonObject().put("source", p.source()).put("destination", p.destination())
                .put("requests", p.requests()).put("attempts", p.attempts()).put("retries", p.retries())
                .put("amplification", p.amplification())));
        var incidents = new JsonObject();
        a.incidents().forEach(incidents::put);
        var cost = a.cost();
        var json = new JsonObject().put("windowSeconds", a.window().toSeconds())
                .put("services", new JsonArray(java.util.List.copyOf(a.services())))
                .put("serviceCount", a.services().size()).put("pathCount", a.paths().size())
                .put("possiblePaths", a.possiblePaths()).put("paths", paths).put("incidents", incidents)
                .put("cost", new JsonObject().put("proxies", cost.proxies()).put("cpuCoresPerProxy", cost.cpuCoresPerProxy())
                        .put("residentMbPerProxy", cost.residentMbPerProxy()).put("sharedProcess", cost.sharedProcess())
                        .put("overheadP50Millis", cost.overheadP50Millis()).put("overheadP99Millis", cost.overheadP99Millis()))
                .put("verdict", a.verdict().name()).put("reasons", new JsonArray(a.reasons()));
        out.println(json.encodePrettily());
        out.flush();
    }

    public static void markdown(Assessment a, PrintWriter out) {
        out.println("## Does a service mesh pay off here?");
        out.println();
        out.printf(Locale.ROOT, "Measured by meshlog over the last %s.%n%n", window(a));
        out.printf(Locale.ROOT, "**Verdict: %s**%n%n", a.verdict());
        a.reasons().forEach(r -> out.println("* " + r));
        out.println();
        out.println("| path | requests | retries | amplification |");
        out.println("| --- | ---: | ---: | ---: |");
        a.paths().forEach(p -> out.printf(Locale.ROOT, "| %s → %s | %d | %d | %.2f |%n", p.source(), p.destination(),
                p.requests(), p.retries(), p.amplification()));
        out.println();
        out.println("| network-layer incident | count |");
        out.println("| --- | ---: |");
        a.incidents().forEach((kind, count) -> out.printf(Locale.ROOT, "| %s | %d |%n", kind, count));
        out.println();
        out.println("Sidecar cost: " + fleet(a.cost()) + String.format(Locale.ROOT,
                "; overhead per hop p50 %.2f ms, p99 %.2f ms.", a.cost().overheadP50Millis(), a.cost().overheadP99Millis()));
        out.flush();
    }

    /** "N proxies × X MB = Y MB", said plainly when the proxies share one process. */
    static String fleet(Assessment.Cost cost) {
        var cpu = cost.cpuCoresPerProxy() < 0 ? "CPU unknown (fewer than two heartbeats per proxy in the window)"
                : String.format(Locale.ROOT, "%.3f cores each", cost.cpuCoresPerProxy());
        var line = String.format(Locale.ROOT, "%d proxies x %.0f MB = %.0f MB resident, %s", cost.proxies(),
                cost.residentMbPerProxy(), cost.proxies() * cost.residentMbPerProxy(), cpu);
        return cost.sharedProcess() ? line + " (these proxies share one process here, as in meshlog dev: the figures are "
                + "the process's, so the fleet figure overstates a real deployment's)" : line;
    }

    private static String window(Assessment a) {
        var seconds = a.window().toSeconds();
        return seconds % 3600 == 0 ? seconds / 3600 + "h" : seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
