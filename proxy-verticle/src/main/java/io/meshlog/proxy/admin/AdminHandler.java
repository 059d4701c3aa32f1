package io.meshlog.proxy.admin;

import io.meshlog.proxy.ratelimit.GlobalRateLimits;
import io.meshlog.proxy.resilience.ClusterRegistry;
import io.meshlog.proxy.resilience.ClusterRetryBudgets;
import io.meshlog.proxy.resilience.EjectionView;
import io.meshlog.proxy.snapshot.SnapshotHolder;
import io.meshlog.proxy.telemetry.TelemetrySink;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The admin port: {@code /ready}, {@code /metrics}, {@code /config_dump}, {@code /clusters}. */
public final class AdminHandler implements Handler<HttpServerRequest> {
    private final SnapshotHolder snapshots;
    private final ClusterRegistry clusters;
    private final EjectionView ejections;
    private final ClusterRetryBudgets retryBudgets;
    private final TelemetrySink telemetry;
    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier listening;
    private final Supplier<JsonObject> certs;
    private final GlobalRateLimits globalRateLimits;

    /** @param listening true once the proxy's listeners are bound */
    public AdminHandler(SnapshotHolder snapshots, ClusterRegistry clusters, EjectionView ejections, TelemetrySink telemetry,
            PrometheusMeterRegistry registry, BooleanSupplier listening) {
        this(snapshots, clusters, ejections, null, telemetry, registry, listening, null, null);
    }

    /**
     * @param retryBudgets the cluster-wide retry budgets shown per service in {@code /clusters}, or null
     * @param listening true once the proxy is ready to serve (listeners bound, certificate applied,
     *     and in control-plane mode the policy topic replayed)
     * @param certs the {@code /certs} page (public certificate data only), null without mTLS
     * @param globalRateLimits this proxy's shares of global rate limits, shown in {@code /clusters}, or null
     */
    public AdminHandler(SnapshotHolder snapshots, ClusterRegistry clusters, EjectionView ejections,
            ClusterRetryBudgets retryBudgets, TelemetrySink telemetry, PrometheusMeterRegistry registry,
            BooleanSupplier listening, Supplier<JsonObject> certs, GlobalRateLimits globalRateLimits) {
        this.certs = certs;
        this.globalRateLimits = globalRateLimits;
        this.snapshots = snapshots;
        this.clusters = clusters;
        this.ejections = ejections;
        this.retryBudgets = retryBudgets;
        this.telemetry = telemetry;
        this.registry = registry;
        this.listening = listening;
    }

    @Override
    public void handle(HttpServerRequest request) {
        var response = request.response();
        switch (request.path()) {
            case "/ready" -> {
                boolean ready = snapshots.hasApplied() && listening.getAsBoolean();
                response.setStatusCode(ready ? 200 : 503).end(ready ? "LIVE\n" : "NOT READY\n");
            }
            case "/metrics" -> response.putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape());
            case "/config_dump" -> json(request, ConfigDumpView.render(snapshots.current()).encodePrettily());
            case "/clusters" -> json(request, ClustersView.render(clusters, ejections, retryBudgets, telemetry.dropped())
                    .put("globalRateLimits", GlobalRateLimitsView.render(globalRateLimits)).encodePrettily());
            case "/certs" -> {
                if (certs == null) {
                    response.setStatusCode(404).end("no workload certificate: this proxy runs without mTLS\n");
                } else {
                    json(request, certs.get().encodePrettily());
                }
            }
            default -> response.setStatusCode(404).end("admin: /ready /metrics /config_dump /clusters /certs\n");
        }
    }

    private static void json(HttpServerRequest request, String body) {
        request.response().putHeader("content-type", "application/json").end(body);
    }
}
