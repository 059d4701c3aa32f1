package io.meshlog.dev;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The request-metric PromQL of Istio's own Grafana dashboards (Istio Mesh, Istio Service and Istio
 * Workload, as in {@code istio/istio manifests/addons/dashboards}), written out here so a test can
 * check that they show data for meshlog's proxies without edits. TCP panels ({@code istio_tcp_*})
 * and control-plane panels ({@code pilot_*}, {@code istio_build}) are left out: meshlog's proxies
 * carry HTTP only and have no Istio control plane.
 *
 * <p>Expressions keep the dashboards' template variables ({@code $service}, {@code $qrep},
 * {@code $workload}, …); {@link #resolve} substitutes one choice of them, as a user picking values
 * in the dashboard's drop-downs would. Multi-value variables left at "All" become {@code .*}.
 */
final class IstioDashboardQueries {
    /** Quantiles the latency and size panels draw. */
    private static final List<String> QUANTILES = List.of("0.50", "0.90", "0.95", "0.99");
    private static final List<String> MTLS = List.of("connection_security_policy=\"mutual_tls\"",
            "connection_security_policy!=\"mutual_tls\"");

    /** One panel query. */
    record Query(String dashboard, String panel, String expr) {
        String where() {
            return dashboard + " / \"" + panel + "\": " + expr;
        }
    }

    private IstioDashboardQueries() {}

    /** Every request-metric query of the three dashboards. */
    static List<Query> all() {
        var queries = new ArrayList<Query>();
        mesh(queries);
        service(queries);
        workload(queries);
        return queries;
    }

    /** {@code expr} with the variables of {@code values} substituted ({@code $__rate_interval} as 1m). */
    static String resolve(String expr, Map<String, String> values) {
        var resolved = expr.replace("$__rate_interval", "1m");
        // longest names first, so $srcwl is not read as $src…
        var names = values.keySet().stream().sorted((a, b) -> b.length() - a.length()).toList();
        for (var name : names) {
            resolved = resolved.replace("$" + name, values.get(name));
        }
        return resolved;
    }

    private static void mesh(List<Query> queries) {
        var d = "Istio Mesh Dashboard";
        var src = "{reporter=\"source\"}";
        queries.add(new Query(d, "Global Request Volume", "round(sum(irate(istio_requests_total" + src + "[1m])), 0.001)"));
        queries.add(new Query(d, "Global Success Rate (non-5xx responses)",
                "sum(rate(istio_requests_total{reporter=\"source\", response_code!~\"5.*\"}[1m])) / sum(rate(istio_requests_total"
                        + src + "[1m]))"));
        queries.add(new Query(d, "4xxs", "sum(irate(istio_requests_total{reporter=\"source\", response_code=~\"4.*\"}[1m]))"));
        queries.add(new Query(d, "5xxs", "sum(irate(istio_requests_total{reporter=\"source\", response_code=~\"5.*\"}[1m]))"));
        var join = ", \"destination_workload_var\", \".\", \"destination_workload\", \"destination_workload_namespace\")";
        var byWorkload = " by (le, destination_workload, destination_workload_namespace)";
        queries.add(new Query(d, "HTTP/GRPC Workloads: requests",
                "label_join(sum(rate(istio_requests_total{reporter=\"source\", response_code=\"200\"}[1m])) by"
                        + " (destination_workload, destination_workload_namespace, destination_service)" + join));
        for (var q : List.of("0.50", "0.90", "0.99")) {
            queries.add(new Query(d, "HTTP/GRPC Workloads: P" + q.substring(2),
                    "label_join((histogram_quantile(" + q + ", sum(rate(istio_request_duration_milliseconds_bucket" + src
                            + "[1m]))" + byWorkload + ") / 1000) or histogram_quantile(" + q
                            + ", sum(rate(istio_request_duration_seconds_bucket" + src + "[1m]))" + byWorkload + ")" + join));
        }
        queries.add(new Query(d, "HTTP/GRPC Workloads: success rate",
                "label_join((sum(rate(istio_requests_total{reporter=\"source\", response_code!~\"5.*\"}[1m])) by"
                        + " (destination_workload, destination_workload_namespace) / sum(rate(istio_requests_total" + src
                        + "[1m])) by (destination_workload, destination_workload_namespace))" + join));
    }

    private static void service(List<Query> queries) {
        var d = "Istio Service Dashboard";
        var client = "reporter=~\"$qrep\",destination_service=\"$service\"";
        var server = "reporter=\"destination\",destination_service=\"$service\"";
        general(queries, d, "Client", client, "$__rate_interval");
        general(queries, d, "Server", server, "$__rate_interval");
        byPeer(queries, d, "Incoming", "By Source", "reporter=~\"$qrep\", destination_service=\"$service\","
                + " source_workload=~\"$srcwl\", source_workload_namespace=~\"$srcns\"",
                "source_workload, source_workload_namespace", "$__rate_interval", "$__rate_interval");
        byPeer(queries, d, "Incoming", "By Destination Workload", "reporter=\"destination\", destination_service=\"$service\","
                + " destination_workload=~\"$dstwl\", destination_workload_namespace=~\"$dstns\"",
                "destination_workload, destination_workload_namespace", "$__rate_interval", "$__rate_interval");
    }

    private static void workload(List<Query> queries) {
        var d = "Istio Workload Dashboard";
        var incoming = "reporter=\"$qrep\",destination_workload_namespace=~\"$namespace\",destination_workload=~\"$workload\"";
        queries.add(new Query(d, "Incoming Request Volume",
                "round(sum(irate(istio_requests_total{" + incoming + "}[5m])), 0.001)"));
        queries.add(new Query(d, "Incoming Success Rate (non-5xx responses)",
                "sum(irate(istio_requests_total{" + incoming + ",response_code!~\"5.*\"}[5m])) / sum(irate(istio_requests_total{"
                        + incoming + "}[5m]))"));
        for (var q : List.of("0.50", "0.90", "0.99")) {
            queries.add(new Query(d, "Request Duration P" + q.substring(2), duration(q, incoming, "le", "1m")));
        }
        byPeer(queries, d, "Incoming", "By Source", "reporter=\"$qrep\", destination_workload=~\"$workload\","
                + " destination_workload_namespace=~\"$namespace\", source_workload=~\"$srcwl\", source_workload_namespace=~\"$srcns\"",
                "source_workload, source_workload_namespace", "5m", "1m");
        byPeer(queries, d, "Outgoing", "By Destination", "reporter=\"source\", source_workload=~\"$workload\","
                + " source_workload_namespace=~\"$namespace\", destination_service=~\"$dstsvc\"", "destination_service", "5m", "1m");
    }

    /** The four headline panels of one side: volume, success rate, P50/P90/P99 duration. */
    private static void general(List<Query> queries, String d, String side, String selector, String window) {
        queries.add(new Query(d, side + " Request Volume",
                "round(sum(irate(istio_requests_total{" + selector + "}[" + window + "])), 0.001)"));
        queries.add(new Query(d, side + " Success Rate (non-5xx responses)",
                "sum(irate(istio_requests_total{" + selector + ",response_code!~\"5.*\"}[" + window + "])) / (sum(irate("
                        + "istio_requests_total{" + selector + "}[" + window + "])) or on () vector(1))"));
        for (var q : List.of("0.50", "0.90", "0.99")) {
            queries.add(new Query(d, side + " Request Duration P" + q.substring(2), duration(q, selector, "le", window)));
        }
    }

    /**
     * The per-peer panels, each once with mTLS and once without: requests by peer and response
     * code, success rate, duration, request size and response size quantiles.
     */
    private static void byPeer(List<Query> queries, String d, String direction, String by, String selector, String peer,
            String countWindow, String histogramWindow) {
        for (var mtls : MTLS) {
            var s = mtls + ", " + selector;
            var tag = mtls.contains("!=") ? "" : " (mTLS)";
            queries.add(new Query(d, direction + " Requests " + by + " And Response Code" + tag,
                    "round(sum(irate(istio_requests_total{" + s + "}[" + countWindow + "])) by (" + peer + ", response_code), 0.001)"));
            queries.add(new Query(d, direction + " Success Rate (non-5xx responses) " + by + tag,
                    "sum(irate(istio_requests_total{" + s + ",response_code!~\"5.*\"}[" + countWindow + "])) by (" + peer
                            + ") / sum(irate(istio_requests_total{" + s + "}[" + countWindow + "])) by (" + peer + ")"));
            for (var q : QUANTILES) {
                queries.add(new Query(d, direction + " Request Duration " + by + " P" + q.substring(2) + tag,
                        duration(q, s, peer + ", le", histogramWindow)));
                queries.add(new Query(d, direction + " Request Size " + by + " P" + q.substring(2) + tag,
                        "histogram_quantile(" + q + ", sum(irate(istio_request_bytes_bucket{" + s + "}[" + histogramWindow
                                + "])) by (" + peer + ", le))"));
                queries.add(new Query(d, "Response Size " + by + " P" + q.substring(2) + tag,
                        "histogram_quantile(" + q + ", sum(irate(istio_response_bytes_bucket{" + s + "}[" + histogramWindow
                                + "])) by (" + peer + ", le))"));
            }
        }
    }

    /** Istio's duration quantile: milliseconds histogram in seconds, or the older seconds histogram. */
    private static String duration(String q, String selector, String by, String window) {
        return "(histogram_quantile(" + q + ", sum(irate(istio_request_duration_milliseconds_bucket{" + selector + "}["
                + window + "])) by (" + by + ")) / 1000) or histogram_quantile(" + q
                + ", sum(irate(istio_request_duration_seconds_bucket{" + selector + "}[" + window + "])) by (" + by + "))";
    }
}
