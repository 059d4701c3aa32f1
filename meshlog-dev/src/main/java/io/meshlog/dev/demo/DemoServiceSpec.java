package io.meshlog.dev.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One instance of a demo workload: what it is called, how it behaves, whom it calls.
 *
 * @param service the service name (what callers put in the Host header)
 * @param instance a unique instance name, e.g. {@code inventory-2}
 * @param labels workload labels, e.g. {@code version=v2}
 * @param latency how long the app works on a request before answering
 * @param errorRate fraction of requests answered 500 from the start
 * @param flakyAfter when set, the instance turns flaky this long after it started
 * @param flakyErrorRate fraction of requests answered 503 once flaky
 * @param calls downstream calls made for every request, through the sidecar's outbound listener
 */
public record DemoServiceSpec(
        String service,
        String instance,
        Map<String, String> labels,
        Duration latency,
        double errorRate,
        Duration flakyAfter,
        double flakyErrorRate,
        List<Call> calls) {
    public DemoServiceSpec {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(instance, "instance");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        latency = latency == null ? Duration.ZERO : latency;
        requireFraction(errorRate, "errorRate");
        requireFraction(flakyErrorRate, "flakyErrorRate");
        calls = calls == null ? List.of() : List.copyOf(calls);
    }

    private static void requireFraction(double value, String name) {
        if (value < 0 || value > 1) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, but was " + value);
        }
    }

    /** A downstream request: {@code method} {@code path} to {@code service}. */
    public record Call(String service, String method, String path) {}
}
