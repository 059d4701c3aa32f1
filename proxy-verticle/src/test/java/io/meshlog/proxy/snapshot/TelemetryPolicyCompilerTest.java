package io.meshlog.proxy.snapshot;

import static io.meshlog.proxy.snapshot.SnapshotCompilerTest.policy;
import static io.meshlog.proxy.snapshot.SnapshotCompilerTest.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.proxy.bootstrap.StaticEndpointDirectory;
import io.meshlog.proxy.observability.MetricsPolicy;
import io.meshlog.proxy.observability.RequestMetric;
import io.meshlog.proxy.observability.TelemetryPolicy;
import io.meshlog.proxy.ratelimit.GlobalRateLimitSettings;
import io.meshlog.proxy.ratelimit.GlobalRateLimits;
import io.meshlog.proxy.ratelimit.InMemoryGlobalRateCounter;
import io.meshlog.proxy.ratelimit.RateLimiters;
import io.meshlog.proxy.tracing.TraceSettings.CustomTag;
import io.meshlog.schemas.v1.PolicyEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetryPolicyCompilerTest {
    private final SnapshotCompiler compiler = new SnapshotCompiler("shop", "meshlog-system", Map.of("app", "cart"),
            new RateLimiters(Clock.systemUTC(), new GlobalRateLimits(new InMemoryGlobalRateCounter(Clock.systemUTC(),
                    Duration.ofSeconds(1)), "p", GlobalRateLimitSettings.DEFAULT, Clock.systemUTC())),
            name -> "POD_NAME".equals(name) ? "cart-7f3a" : null);

    private TelemetryPolicy compile(PolicyEvent... events) {
        return compiler.compile(state(events), new StaticEndpointDirectory(List.of())).telemetry();
    }

    private static PolicyEvent telemetry(String namespace, String name, String spec) throws Exception {
        return policy("""
                apiVersion: telemetry.istio.io/v1
                kind: Telemetry
                metadata: {name: %s, namespace: %s}
                spec:
                %s
                """.formatted(name, namespace, spec.indent(2)));
    }

    @Test
    void theWorkloadOverridesTheNamespaceWhichOverridesTheRootNamespaceFieldByField() throws Exception {
        var mesh = telemetry("meshlog-system", "mesh", """
                tracing: [{randomSamplingPercentage: 1, customTags: {team: {literal: {value: platform}}, pod: {environment: {name: POD_NAME}}}}]
                accessLogging: [{}]
                """);
        var namespace = telemetry("shop", "shop", """
                tracing: [{randomSamplingPercentage: 50}]
                metrics: [{overrides: [{match: {metric: REQUEST_COUNT}, disabled: true}]}]
                """);
        var workload = telemetry("shop", "cart", """
                selector: {matchLabels: {app: cart}}
                tracing: [{customTags: {team: {literal: {value: payments}}, user: {header: {name: X-User}}}}]
                metrics: [{overrides: [{match: {metric: REQUEST_COUNT, mode: SERVER}, disabled: false}]}]
                accessLogging: [{disabled: true}]
                """);

        var policy = compile(mesh, namespace, workload);

        assertThat(policy.tracing().samplingPercentage()).as("the namespace's, the workload sets none").isEqualTo(50.0);
        assertThat(policy.tracing().tags()).containsExactlyInAnyOrder(new CustomTag("team", null, "payments"),
                new CustomTag("pod", null, "cart-7f3a"), new CustomTag("user", "x-user", null));
        assertThat(policy.accessLog()).as("the workload turned the mesh-wide access log off").isFalse();
        assertThat(policy.metrics()).isEqualTo(new MetricsPolicy.Builder()
                .disabled(List.of(RequestMetric.REQUEST_COUNT), true, false, true).build());
    }

    @Test
    void policiesOfOtherNamespacesAndOtherWorkloadsDoNotApply() throws Exception {
        var other = telemetry("billing", "billing", "accessLogging: [{}]");
        var otherWorkload = telemetry("shop", "orders", """
                selector: {matchLabels: {app: orders}}
                accessLogging: [{}]
                """);
        var rootSelector = telemetry("meshlog-system", "scoped", """
                selector: {matchLabels: {app: cart}}
                accessLogging: [{}]
                """);

        assertThat(compile(other, otherWorkload, rootSelector)).isEqualTo(TelemetryPolicy.DEFAULT);
        assertThat(compile(telemetry("meshlog-system", "mesh", "accessLogging: [{}]")).accessLog())
                .as("the root namespace's selector-less policy is mesh-wide").isTrue();
    }

    @Test
    void onlyStringLiteralsAreUpsertedAndRemovalsApplyToTheSelectedMetricsAndSides() throws Exception {
        var policy = compile(telemetry("shop", "shop", """
                metrics:
                - overrides:
                  - match: {mode: CLIENT}
                    tagOverrides:
                      request_protocol: {operation: REMOVE}
                      mesh: {value: "'meshlog'"}
                      host: {value: request.host}
                """));

        assertThat(policy.metrics()).isEqualTo(new MetricsPolicy.Builder()
                .remove(List.of(RequestMetric.values()), true, false, "request_protocol")
                .upsert(List.of(RequestMetric.values()), true, false, "mesh", "meshlog").build());
    }

    @Test
    void aSamplingPercentageOutOfRangeFromTheTopicIsRejectedAndTheRestApplies() throws Exception {
        var bad = telemetry("shop", "bad", "tracing: [{randomSamplingPercentage: 140}]");
        var good = telemetry("shop", "cart", """
                selector: {matchLabels: {app: cart}}
                accessLogging: [{}]
                """);

        var snapshot = compiler.compile(state(bad, good), new StaticEndpointDirectory(List.of()));

        assertThat(snapshot.rejected()).singleElement().satisfies(r -> assertThat(r.reason()).contains("140"));
        assertThat(snapshot.telemetry().accessLog()).isTrue();
        assertThat(snapshot.telemetry().tracing().samplingPercentage()).isNull();
    }
}
