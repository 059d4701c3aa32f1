package io.meshlog.policy.adoption;

import io.meshlog.schemas.v1.BaselineProxy;
import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.ResponseFlag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Does the mesh pay off here? The decision framework's figures from one window of telemetry: the
 * services that actively communicated (a try reached an endpoint, so not every deployment), the
 * distinct paths against the n·(n−1) possible, the network-layer incidents the mesh saw, what the
 * sidecars cost, and the verdict against the framework's thresholds (below {@value #LIBRARIES_BELOW}
 * communicating services libraries such as Resilience4j likely suffice; past {@value #MESH_FROM}
 * the mesh pays off; in between it depends on the incidents).
 *
 * @param services the services that actively communicated (caller workloads named by the service they serve)
 * @param paths the distinct caller → callee paths, with their amplification
 * @param incidents network-layer incidents by kind
 * @param cost what the sidecars cost
 * @param verdict the verdict
 * @param reasons why
 */
public record Assessment(Duration window, Set<String> services, List<PathFigures> paths, Map<String, Long> incidents,
        Cost cost, Verdict verdict, List<String> reasons) {
    static final int LIBRARIES_BELOW = 15;
    static final int MESH_FROM = 20;
    /** A TLS handshake slower than this is an incident. */
    static final long SLOW_TLS_MICROS = 100_000;

    /** The framework's verdict. */
    public enum Verdict { LIBRARIES_SUFFICE, DEPENDS_ON_INCIDENTS, MESH_PAYS_OFF }

    /**
     * One path.
     *
     * @param requests requests (first tries and local answers)
     * @param attempts every try, retries included
     */
    public record PathFigures(String source, String destination, long requests, long attempts, long retries) {
        /** Tries per request: 1.0 without retries. */
        public double amplification() {
            return requests == 0 ? 0 : (double) attempts / requests;
        }
    }

    /**
     * What the sidecars cost.
     *
     * @param proxies proxies that reported in the window
     * @param cpuCoresPerProxy median CPU used per proxy's process (-1 unknown)
     * @param residentMbPerProxy median resident memory per proxy's process
     * @param sharedProcess every proxy reported the same process figures (several proxies in one JVM)
     * @param overheadP50Millis sidecar overhead per hop, median over every request of the window
     * @param overheadP99Millis the same, p99
     */
    public record Cost(int proxies, double cpuCoresPerProxy, double residentMbPerProxy, boolean sharedProcess,
            double overheadP50Millis, double overheadP99Millis) {}

    /** The assessment of {@code data}. */
    public static Assessment of(WindowData data) {
        var sources = data.telemetry().stream().filter(t -> t.getReporter() == Reporter.SOURCE).toList();
        var serviceOf = new HashMap<String, String>();
        sources.forEach(t -> {
            if (t.getDestinationWorkload() != null) {
                serviceOf.put(t.getDestinationWorkload(), t.getDestinationService());
            }
        });
        var services = new TreeSet<String>();
        var paths = new TreeMap<String, long[]>();
        var incidents = new TreeMap<String, Long>();
        for (var t : sources) {
            var source = serviceOf.getOrDefault(t.getSourceWorkload(), t.getSourceWorkload());
            var destination = t.getDestinationService();
            count(t, incidents);
            if (!reached(t) || source.equals(destination)) {
                continue;
            }
            services.add(source);
            services.add(destination);
            var figures = paths.computeIfAbsent(source + "->" + destination, k -> new long[3]);
            figures[1]++;
            if (t.getAttempt() <= 1) {
                figures[0]++;
            }
            if (t.getRetry()) {
                figures[2]++;
            }
        }
        var pathList = new ArrayList<PathFigures>();
        paths.forEach((key, f) -> {
            var arrow = key.indexOf("->");
            pathList.add(new PathFigures(key.substring(0, arrow), key.substring(arrow + 2), f[0], f[1], f[2]));
        });
        var cost = cost(data);
        var verdict = services.size() < LIBRARIES_BELOW ? Verdict.LIBRARIES_SUFFICE
                : services.size() > MESH_FROM ? Verdict.MESH_PAYS_OFF : Verdict.DEPENDS_ON_INCIDENTS;
        return new Assessment(data.window(), services, pathList, incidents, cost, verdict,
                reasons(services.size(), pathList.size(), incidents, cost, verdict));
    }

    /** n·(n−1): every ordered pair of communicating services. */
    public long possiblePaths() {
        long n = services.size();
        return n * (n - 1);
    }

    /** A try that reached an endpoint (answered or failed there), as opposed to a local answer. */
    private static boolean reached(RequestTelemetry t) {
        return t.getAttempt() >= 1 && t.getDestinationEndpoint() != null;
    }

    private static void count(RequestTelemetry t, Map<String, Long> incidents) {
        var flags = t.getResponseFlags();
        if (flags.contains(ResponseFlag.UO)) {
            incidents.merge("pool exhaustion / circuit open (UO)", 1L, Long::sum);
        }
        if (flags.contains(ResponseFlag.UF)) {
            incidents.merge("connect failures (UF)", 1L, Long::sum);
        }
        if (flags.contains(ResponseFlag.UT)) {
            incidents.merge("timeouts (UT)", 1L, Long::sum);
        }
        if (flags.contains(ResponseFlag.UH)) {
            incidents.merge("no healthy endpoint (UH)", 1L, Long::sum);
        }
        if (t.getRetry()) {
            incidents.merge("retries", 1L, Long::sum);
        }
        if (t.getRetrySuppressed()) {
            incidents.merge("retries refused by a retry budget", 1L, Long::sum);
        }
        if (t.getTlsHandshakeMicros() > SLOW_TLS_MICROS) {
            incidents.merge("slow TLS handshakes (>100 ms)", 1L, Long::sum);
        }
    }

    private static Cost cost(WindowData data) {
        var proxies = MeshFigures.proxies(data);
        var cpu = proxies.stream().mapToDouble(BaselineProxy::getCpuCores).filter(c -> c >= 0).sorted().toArray();
        var rss = proxies.stream().mapToDouble(p -> p.getResidentBytes() / (1024.0 * 1024.0)).sorted().toArray();
        var shared = proxies.size() > 1 && proxies.stream().map(BaselineProxy::getResidentBytes).distinct().count() == 1;
        var overheadP50 = 0.0;
        var overheadP99 = 0.0;
        var edges = MeshFigures.edges(data);
        long total = edges.stream().mapToLong(e -> e.getRequests()).sum();
        for (var e : edges) {
            double weight = total == 0 ? 0 : (double) e.getRequests() / total;
            overheadP50 += weight * e.getOverheadP50Millis();
            overheadP99 = Math.max(overheadP99, e.getOverheadP99Millis());
        }
        return new Cost(proxies.size(), cpu.length == 0 ? -1 : cpu[cpu.length / 2], rss.length == 0 ? 0 : rss[rss.length / 2],
                shared, overheadP50, overheadP99);
    }

    private static List<String> reasons(int services, int paths, Map<String, Long> incidents, Cost cost, Verdict verdict) {
        var reasons = new ArrayList<String>();
        long possible = (long) services * (services - 1);
        reasons.add(services + " services actively communicated over " + paths + " of " + possible + " possible paths");
        reasons.add(switch (verdict) {
            case LIBRARIES_SUFFICE -> "below " + LIBRARIES_BELOW + " communicating services, a resilience library in each "
                    + "service (e.g. Resilience4j) likely suffices: the paths are few enough to configure by hand";
            case DEPENDS_ON_INCIDENTS -> "between " + LIBRARIES_BELOW + " and " + MESH_FROM + " communicating services the "
                    + "mesh pays off when network-layer incidents are frequent; weigh them below";
            case MESH_PAYS_OFF -> "past " + MESH_FROM + " communicating services, per-service libraries no longer keep "
                    + "up with the paths: a mesh pays off";
        });
        long network = incidents.entrySet().stream().filter(e -> !e.getKey().startsWith("retries"))
                .mapToLong(Map.Entry::getValue).sum();
        reasons.add(network + " network-layer incidents in the window (" + (incidents.isEmpty() ? "none"
                : String.join(", ", incidents.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList())) + ")");
        reasons.add(String.format(java.util.Locale.ROOT, "measured sidecar overhead per hop p50 %.2f ms, p99 %.2f ms "
                + "(Istio's figure: 2-5 ms per hop)", cost.overheadP50Millis(), cost.overheadP99Millis()));
        return reasons;
    }
}
