package io.meshlog.policy.cli;

import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.WouldHave;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What OBSERVE-mode sidecars would have enforced, counted per namespace, workload and decision from
 * telemetry events: the namespace and workload are the reporting sidecar's (the one whose mode
 * applied): the caller's for SOURCE reports, the callee's for DESTINATION reports.
 */
final class WouldHaveTally {
    private final Map<String, Map<String, EnumMap<WouldHave, Long>>> counts = new TreeMap<>();

    void add(RequestTelemetry event) {
        if (!event.getObserve() || event.getWouldHave().isEmpty()) {
            return;
        }
        boolean source = event.getReporter() == Reporter.SOURCE;
        var namespace = event.getProxyNamespace() != null ? event.getProxyNamespace()
                : source ? event.getSourceNamespace() : null;
        var workload = source ? event.getSourceWorkload() : event.getDestinationWorkload();
        if (namespace == null || workload == null) {
            return;
        }
        var byDecision = counts.computeIfAbsent(namespace, n -> new TreeMap<>())
                .computeIfAbsent(workload, w -> new EnumMap<>(WouldHave.class));
        for (var decision : event.getWouldHave()) {
            byDecision.merge(decision, 1L, Long::sum);
        }
    }

    /** The namespaces with any would-have decision. */
    java.util.Set<String> namespaces() {
        return counts.keySet();
    }

    /** Workload to its counts per decision, in {@code namespace}; empty when nothing would have been enforced. */
    Map<String, EnumMap<WouldHave, Long>> namespace(String namespace) {
        return counts.getOrDefault(namespace, Map.of());
    }

    /** The counts of {@code namespace} per decision, all workloads together. */
    EnumMap<WouldHave, Long> total(String namespace) {
        var total = new EnumMap<WouldHave, Long>(WouldHave.class);
        namespace(namespace).values().forEach(m -> m.forEach((d, n) -> total.merge(d, n, Long::sum)));
        return total;
    }

    /**
     * What turning enforcement on in {@code namespace} would change, one line per workload and
     * decision, e.g. "STRICT would refuse 3 plaintext requests to order-service".
     */
    java.util.List<String> blockers(String namespace) {
        var lines = new java.util.ArrayList<String>();
        namespace(namespace).forEach((workload, decisions) -> decisions.forEach((decision, n) ->
                lines.add(describe(decision, n, workload))));
        return lines;
    }

    static String describe(WouldHave decision, long n, String workload) {
        return switch (decision) {
            case REFUSE_PLAINTEXT -> "STRICT would refuse " + n + " plaintext request(s) to " + workload;
            case DENY -> "AuthorizationPolicy would deny " + n + " request(s) to " + workload;
            case RATE_LIMIT -> "rate limits would refuse " + n + " request(s) at " + workload;
            case OVERFLOW -> "pool limits would overflow (503 UO) " + n + " request(s) from " + workload;
            case EJECT -> "ejection would move " + n + " request(s) from " + workload + " off an ejected endpoint";
            case RETRY -> "retries would repeat " + n + " failed request(s) from " + workload;
            default -> n + " unknown would-have decision(s) at " + workload;
        };
    }
}
