package io.meshlog.dev.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The demo: {@code api-gateway} → {@code orders} (v1, and a v2 canary that fails one request in
 * five) → {@code inventory} (three instances; the third turns flaky after a minute) and
 * {@code payments}, which calls {@code legacy-billing}, a workload without a sidecar (registered as an
 * ExcludedWorkload, called in plaintext). The numbers are chosen so that within two minutes the flaky instance is
 * ejected cluster-wide and the {@code orders} SLO (99.9%) burns fast enough to page.
 */
public final class DemoTopology {
    public static final String NAMESPACE = "shop";
    public static final String ENTRY_SERVICE = "api-gateway";
    /** The workload that runs without a sidecar (an ExcludedWorkload): payments calls it in plaintext. */
    public static final String LEGACY_SERVICE = "legacy-billing";
    /** The demo's load generator, which has a sidecar but serves nothing. */
    public static final String LOAD_GENERATOR = "loadgen";

    private DemoTopology() {}

    public static List<DemoServiceSpec> services(Duration flakyAfter) {
        return services(flakyAfter, false);
    }

    /** @param healthyCanary whether orders v2 answers without its one-in-five failures */
    public static List<DemoServiceSpec> services(Duration flakyAfter, boolean healthyCanary) {
        var inventory = List.<DemoServiceSpec.Call>of();
        var ordersCalls = List.of(new DemoServiceSpec.Call("inventory", "GET", "/inventory/42"),
                new DemoServiceSpec.Call("payments", "POST", "/payments"));
        return List.of(
                spec("inventory", "inventory-1", "v1", 3, 0, null, 0, inventory),
                spec("inventory", "inventory-2", "v1", 3, 0, null, 0, inventory),
                spec("inventory", "inventory-3", "v1", 3, 0, flakyAfter, 1.0, inventory),
                spec("payments", "payments-v1", "v1", 5, 0, null, 0,
                        List.of(new DemoServiceSpec.Call(LEGACY_SERVICE, "POST", "/invoices"))),
                spec("orders", "orders-v1", "v1", 4, 0, null, 0, ordersCalls),
                spec("orders", "orders-v2", "v2", 4, healthyCanary ? 0 : 0.2, null, 0, ordersCalls),
                spec(ENTRY_SERVICE, "api-gateway-v1", "v1", 2, 0, null, 0,
                        List.of(new DemoServiceSpec.Call("orders", "GET", "/orders"))));
    }

    /** The excluded legacy workload: a plain app, started without a sidecar. */
    public static DemoServiceSpec legacy() {
        return spec(LEGACY_SERVICE, LEGACY_SERVICE, "v1", 3, 0, null, 0, List.of());
    }

    private static DemoServiceSpec spec(String service, String instance, String version, int latencyMillis,
            double errorRate, Duration flakyAfter, double flakyErrorRate, List<DemoServiceSpec.Call> calls) {
        var labels = service.equals("inventory") || service.equals("payments")
                ? Map.of("app", service, "version", version, "tier", "backend")
                : Map.of("app", service, "version", version);
        return new DemoServiceSpec(service, instance, labels,
                Duration.ofMillis(latencyMillis), errorRate, flakyAfter, flakyErrorRate, calls);
    }
}
