package io.meshlog.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.dev.view.LiveView;
import io.meshlog.dev.view.MeshView;
import io.meshlog.kafka.embedded.Ports;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.v1.AlertSeverity;
import io.meshlog.schemas.v1.EdgeMetrics;
import io.meshlog.schemas.v1.Ejection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user sees with {@code meshlog dev}: within two minutes the live view shows traffic
 * on every demo edge, the flaky inventory instance ejected cluster-wide and the orders SLO
 * paging, then the orders v2 Canary rolled back; and a real Prometheus with the compose stack's scrape config gets data for every
 * expression of every Grafana dashboard.
 */
class DemoMeshIT {
    private static final Duration WITHIN = Duration.ofMinutes(2);
    /** 500 canary requests at 10% of the demo's orders traffic take about two minutes. */
    private static final Duration CANARY_WITHIN = Duration.ofMinutes(4);

    @Test
    void demoShowsTrafficEjectionAndAlertAndEveryDashboardQueryHasData(@TempDir Path state, @TempDir Path prom)
            throws Exception {
        var config = new DevConfig(state, Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(),
                true, Duration.ofSeconds(10));
        var components = DevMain.Dev.components(config);
        try (var stack = new DevStack(components)) {
            stack.start();
            long started = System.nanoTime();
            var demo = components.stream().filter(DemoComponent.class::isInstance).map(DemoComponent.class::cast)
                    .findFirst().orElseThrow();
            try (var view = new LiveView("127.0.0.1:" + config.kafkaPort(), TopicCatalogue.standard(),
                    Clock.systemUTC(), List.of(), new PrintWriter(new StringWriter()), false, Duration.ofSeconds(30))) {
                view.start();
                var seen = awaitLiveView(view, started);
                assertThat(destinations(seen.edges())).containsAll(Set.of("api-gateway", "orders", "inventory", "payments"));
                assertThat(seen.ejections()).extracting(Ejection::getService).contains("inventory");
                assertThat(seen.alerts()).anySatisfy(alert -> {
                    assertThat(alert.getService()).isEqualTo("orders");
                    assertThat(alert.getSeverity()).isEqualTo(AlertSeverity.PAGE);
                });
                assertThat(seen.certificates()).hasSizeGreaterThanOrEqualTo(8);
                assertThat(seen.canaries()).as("the demo's Canary runs from the start").singleElement()
                        .satisfies(c -> assertThat(c.getName()).isEqualTo("orders"));
                // The demo v2 fails one request in five: its first step's check rolls it back.
                var rolledBack = awaitCanaryRollback(view);
                assertThat(rolledBack.getCanaryWeight()).isZero();
                assertThat(rolledBack.getRollbackReason().getMetric()).isEqualTo("request-success-rate");
                assertThat(rolledBack.getRollbackReason().getRequests()).isEqualTo(500);
            }

            var targets = Map.of(
                    "meshlog-proxies", demo.adminPorts().stream().map(p -> "127.0.0.1:" + p).toList(),
                    "meshlog-pipeline", List.of("127.0.0.1:" + config.pipelineMetricsPort()),
                    "meshlog-policy", List.of("127.0.0.1:" + config.policyPort()));
            try (var prometheus = LocalPrometheus.withComposeScrapeConfig(DashboardQueries.repositoryRoot(), targets, prom)) {
                var empty = awaitDashboardData(prometheus);
                assertThat(empty).as("dashboard expressions that return no data").isEmpty();
                // the metadata exchange under mTLS: orders' sidecar knows its caller by name and certificate
                var exchanged = prometheus.query("istio_requests_total{reporter=\"destination\",destination_workload=\"orders-v1\","
                        + "destination_service=\"orders.shop.svc.cluster.local\",source_workload=\"api-gateway-v1\","
                        + "source_workload_namespace=\"shop\",source_app=\"api-gateway\",source_version=\"v1\","
                        + "source_principal=\"spiffe://cluster.local/ns/shop/sa/api-gateway\","
                        + "destination_principal=\"spiffe://cluster.local/ns/shop/sa/orders\","
                        + "connection_security_policy=\"mutual_tls\"}");
                assertThat(exchanged.path("data").path("result")).as("orders-v1's inbound series from api-gateway-v1")
                        .isNotEmpty();
                var istioEmpty = awaitIstioDashboardData(prometheus);
                assertThat(istioEmpty).as("Istio dashboard queries that return no data for any choice of variables")
                        .isEmpty();
            }
        }
    }

    private static MeshView.Snapshot awaitLiveView(LiveView view, long started) throws InterruptedException {
        MeshView.Snapshot last = view.snapshot();
        while (System.nanoTime() - started < WITHIN.toNanos()) {
            last = view.snapshot();
            boolean edges = destinations(last.edges()).containsAll(Set.of("api-gateway", "orders", "inventory", "payments"));
            boolean ejected = last.ejections().stream().anyMatch(e -> e.getService().equals("inventory"));
            boolean paging = last.alerts().stream().anyMatch(a -> a.getService().equals("orders")
                    && a.getSeverity() == AlertSeverity.PAGE);
            if (edges && ejected && paging) {
                return last;
            }
            Thread.sleep(500);
        }
        return last;
    }

    /** The demo Canary's status once it is rolled back and every caller applied the rollback (or the last one seen). */
    private static io.meshlog.schemas.v1.CanaryStatus awaitCanaryRollback(LiveView view) throws InterruptedException {
        long deadline = System.nanoTime() + CANARY_WITHIN.toNanos();
        io.meshlog.schemas.v1.CanaryStatus last = null;
        while (System.nanoTime() < deadline) {
            last = view.snapshot().canaries().stream().findFirst().orElse(null);
            if (last != null && last.getPhase() == io.meshlog.schemas.v1.CanaryPhase.Failed && last.getRouteAcknowledged()) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the demo Canary was not rolled back within " + CANARY_WITHIN + "; last status: " + last);
    }

    private static Set<String> destinations(List<EdgeMetrics> edges) {
        return edges.stream().map(EdgeMetrics::getDestination).collect(Collectors.toSet());
    }

    /**
     * Waits until every request-metric query of Istio's Mesh, Service and Workload dashboards
     * returns data for some choice of the dashboard's variables (a demo service, a demo workload,
     * either reporter; everything else "All"), or a minute passed; returns those that never did.
     */
    private static List<String> awaitIstioDashboardData(LocalPrometheus prometheus) throws Exception {
        var specs = io.meshlog.dev.demo.DemoTopology.services(Duration.ofMinutes(1));
        var services = specs.stream().map(s -> s.service() + ".shop.svc.cluster.local").distinct().toList();
        var workloads = new ArrayList<>(specs.stream().map(s -> s.instance()).toList());
        workloads.add("loadgen");
        var empty = new ArrayList<String>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        do {
            empty.clear();
            for (var query : IstioDashboardQueries.all()) {
                if (!anyChoiceHasData(prometheus, query.expr(), services, workloads)) {
                    empty.add(query.where());
                }
            }
            if (empty.isEmpty()) {
                return empty;
            }
            Thread.sleep(2000);
        } while (System.nanoTime() < deadline);
        return empty;
    }

    private static boolean anyChoiceHasData(LocalPrometheus prometheus, String expr, List<String> services,
            List<String> workloads) throws Exception {
        var serviceChoices = expr.contains("$service") ? services : List.of("");
        var workloadChoices = expr.contains("$workload") ? workloads : List.of("");
        var reporterChoices = expr.contains("$qrep") ? List.of("destination", "source") : List.of("");
        for (var service : serviceChoices) {
            for (var workload : workloadChoices) {
                for (var reporter : reporterChoices) {
                    var values = Map.of("service", service, "workload", workload, "qrep", reporter, "namespace", "shop",
                            "srcwl", ".*", "srcns", ".*", "dstwl", ".*", "dstns", ".*", "dstsvc", ".*");
                    var answer = prometheus.query(IstioDashboardQueries.resolve(expr, values));
                    if ("success".equals(answer.path("status").asText()) && !answer.path("data").path("result").isEmpty()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Waits until every expression returns data (or a minute passed); returns those that never did. */
    private static List<String> awaitDashboardData(LocalPrometheus prometheus) throws Exception {
        var queries = DashboardQueries.all(DashboardQueries.repositoryRoot());
        assertThat(queries).isNotEmpty();
        var empty = new ArrayList<String>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        do {
            empty.clear();
            for (var query : queries) {
                var answer = prometheus.query(query.resolvedExpr());
                var result = answer.path("data").path("result");
                if (!"success".equals(answer.path("status").asText()) || result.isEmpty()) {
                    empty.add(query.where() + ": " + query.resolvedExpr());
                }
            }
            if (empty.isEmpty()) {
                return empty;
            }
            Thread.sleep(2000);
        } while (System.nanoTime() < deadline);
        return empty;
    }
}
