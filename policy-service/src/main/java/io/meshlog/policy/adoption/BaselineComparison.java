package io.meshlog.policy.adoption;

import io.meshlog.schemas.v1.Baseline;
import io.meshlog.schemas.v1.BaselineEdge;
import io.meshlog.schemas.v1.BaselineProxy;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;

/**
 * A baseline beside today's figures: per edge and per proxy, then and now with the delta, and a
 * regression flag where a figure got worse by more than the tolerance (latency, overhead, CPU and
 * memory: 20 % and at least 1 ms / 1 MB; error ratio: one percentage point). Small absolute
 * changes of tiny figures are noise, hence the floors.
 */
public final class BaselineComparison {
    static final double RELATIVE = 0.20;

    private final Baseline then;
    private final Baseline now;
    private final List<String> regressions = new ArrayList<>();

    public BaselineComparison(Baseline then, Baseline now) {
        this.then = then;
        this.now = now;
    }

    /** Prints the comparison; returns the regressions found (empty: none). */
    public List<String> print(PrintWriter out) {
        out.printf(Locale.ROOT, "Baseline %s (captured %s, window %ds) vs now (%s, window %ds)%n%n", then.getName(),
                then.getCapturedAt(), then.getWindowMillis() / 1000, now.getCapturedAt(), now.getWindowMillis() / 1000);
        out.println("EDGE                                  FIGURE           BASELINE        NOW      DELTA");
        var nowEdges = new HashMap<String, BaselineEdge>();
        now.getEdges().forEach(e -> nowEdges.put(e.getSource() + "->" + e.getDestination(), e));
        for (var before : then.getEdges()) {
            var key = before.getSource() + "->" + before.getDestination();
            var after = nowEdges.remove(key);
            if (after == null) {
                out.printf(Locale.ROOT, "%-37s (no traffic now)%n", key);
                continue;
            }
            row(out, key, "req/s", before.getRequestsPerSecond(), after.getRequestsPerSecond(), Double.NaN);
            row(out, "", "error ratio %", 100 * before.getErrorRatio(), 100 * after.getErrorRatio(), 1.0, key);
            row(out, "", "p50 ms", before.getP50Millis(), after.getP50Millis(), Double.NaN);
            row(out, "", "p99 ms", before.getP99Millis(), after.getP99Millis(), 1.0, key);
            row(out, "", "overhead p50 ms", before.getOverheadP50Millis(), after.getOverheadP50Millis(), Double.NaN);
            row(out, "", "overhead p99 ms", before.getOverheadP99Millis(), after.getOverheadP99Millis(), 1.0, key);
        }
        nowEdges.keySet().stream().sorted().forEach(key -> out.printf(Locale.ROOT, "%-37s (new since the baseline)%n", key));
        out.println();
        out.println("PROXY                                 FIGURE           BASELINE        NOW      DELTA");
        var nowProxies = new HashMap<String, BaselineProxy>();
        now.getProxies().forEach(p -> nowProxies.put(p.getProxyId(), p));
        for (var before : then.getProxies()) {
            var after = nowProxies.get(before.getProxyId());
            if (after == null) {
                out.printf(Locale.ROOT, "%-37s (not running now)%n", before.getProxyId());
                continue;
            }
            if (before.getCpuCores() >= 0 && after.getCpuCores() >= 0) {
                row(out, before.getProxyId(), "cpu cores", before.getCpuCores(), after.getCpuCores(), 0.05, before.getProxyId());
            }
            row(out, before.getCpuCores() >= 0 ? "" : before.getProxyId(), "memory MB", mb(before.getResidentBytes()),
                    mb(after.getResidentBytes()), 1.0, before.getProxyId());
        }
        out.println();
        if (regressions.isEmpty()) {
            out.println("No regression (tolerance: +20% and at least 1 ms / 1 MB / 0.05 cores; error ratio +1 point).");
        } else {
            out.println(regressions.size() + " regression(s):");
            regressions.forEach(r -> out.println("  " + r));
        }
        out.flush();
        return List.copyOf(regressions);
    }

    private void row(PrintWriter out, String name, String figure, double before, double after, double floor) {
        row(out, name, figure, before, after, floor, null);
    }

    private void row(PrintWriter out, String name, String figure, double before, double after, double floor, String subject) {
        var delta = after - before;
        boolean worse = subject != null && !Double.isNaN(floor) && (figure.startsWith("error")
                ? delta > floor : delta > floor && delta > RELATIVE * before);
        if (worse) {
            regressions.add(String.format(Locale.ROOT, "%s %s: %.2f -> %.2f", subject, figure, before, after));
        }
        out.printf(Locale.ROOT, "%-37s %-15s %9.2f  %9.2f  %+9.2f%s%n", name, figure, before, after, delta,
                worse ? "  REGRESSION" : "");
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
