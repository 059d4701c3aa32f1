package io.meshlog.proxy.snapshot;

import io.meshlog.policy.model.CelLiterals;
import io.meshlog.proxy.observability.MetricsPolicy;
import io.meshlog.proxy.observability.RequestMetric;
import io.meshlog.proxy.observability.TelemetryPolicy;
import io.meshlog.proxy.tracing.TraceSettings;
import io.meshlog.schemas.v1.IstioMetric;
import io.meshlog.schemas.v1.MetricsOverride;
import io.meshlog.schemas.v1.TagOperation;
import io.meshlog.schemas.v1.TelemetrySpec;
import io.meshlog.schemas.v1.TracingCustomTag;
import io.meshlog.schemas.v1.WorkloadMode;
import io.meshlog.schemas.v1.WorkloadSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Merges the Telemetry policies that apply to this workload into one {@link TelemetryPolicy}, as Istio
 * does: the selector-less policy of the mesh root namespace, then the selector-less one of the
 * workload's namespace, then one in that namespace whose selector matches the workload; each level
 * overrides what the one before set (a sampling percentage, a custom tag, an access log switch) and its
 * metric overrides apply after the earlier ones. At each level the first policy by name counts, as
 * Istio takes the oldest. Telemetry to Kafka is not part of it: it stays on whatever they say.
 */
final class TelemetryPolicyCompiler {
    private final String namespace;
    private final Map<String, String> labels;
    private final String rootNamespace;
    private final UnaryOperator<String> environment;

    /**
     * @param namespace this workload's namespace
     * @param labels this workload's labels (selectors match them)
     * @param rootNamespace the namespace whose selector-less Telemetry is mesh-wide
     * @param environment reads an environment variable (tests pass their own), for environment tags
     */
    TelemetryPolicyCompiler(String namespace, Map<String, String> labels, String rootNamespace,
            UnaryOperator<String> environment) {
        this.namespace = namespace;
        this.labels = Map.copyOf(labels);
        this.rootNamespace = rootNamespace;
        this.environment = environment;
    }

    /** One Telemetry policy as read from the topic. */
    record Source(String namespace, String name, TelemetrySpec spec) {}

    /** @param policies every live Telemetry policy, in key order */
    TelemetryPolicy compile(List<Source> policies) {
        var levels = new ArrayList<TelemetrySpec>();
        first(policies, rootNamespace, false).ifPresent(levels::add);
        if (!namespace.equals(rootNamespace)) {
            first(policies, namespace, false).ifPresent(levels::add);
        }
        first(policies, namespace, true).ifPresent(levels::add);
        if (levels.isEmpty()) {
            return TelemetryPolicy.DEFAULT;
        }
        Double sampling = null;
        var tags = new LinkedHashMap<String, TraceSettings.CustomTag>();
        var metrics = new MetricsPolicy.Builder();
        boolean accessLog = TelemetryPolicy.DEFAULT.accessLog();
        for (var spec : levels) {
            for (var tracing : spec.getTracing()) {
                if (tracing.getRandomSamplingPercentage() != null) {
                    sampling = tracing.getRandomSamplingPercentage();
                }
                new TreeMap<>(tracing.getCustomTags()).forEach((name, tag) -> tags.put(name, customTag(name, tag)));
            }
            for (var entry : spec.getMetrics()) {
                entry.getOverrides().forEach(override -> override(override, metrics));
            }
            for (var logging : spec.getAccessLogging()) {
                accessLog = logging.getDisabled() == null || !logging.getDisabled();
            }
        }
        tags.values().removeIf(tag -> tag.header() == null && tag.value() == null);
        return new TelemetryPolicy(new TraceSettings(sampling, List.copyOf(tags.values())), metrics.build(), accessLog);
    }

    private Optional<TelemetrySpec> first(List<Source> policies, String inNamespace, boolean withSelector) {
        return policies.stream()
                .filter(p -> p.namespace().equals(inNamespace))
                .filter(p -> withSelector ? p.spec().getSelector() != null && selects(p.spec().getSelector())
                        : p.spec().getSelector() == null)
                .map(Source::spec).findFirst();
    }

    private boolean selects(WorkloadSelector selector) {
        return selector.getMatchLabels().entrySet().stream()
                .allMatch(label -> label.getValue().equals(labels.get(label.getKey())));
    }

    private TraceSettings.CustomTag customTag(String name, TracingCustomTag tag) {
        if (tag.getLiteral() != null) {
            return new TraceSettings.CustomTag(name, null, tag.getLiteral().getValue());
        }
        if (tag.getHeader() != null) {
            return new TraceSettings.CustomTag(name, tag.getHeader().getName().toLowerCase(Locale.ROOT),
                    tag.getHeader().getDefaultValue());
        }
        if (tag.getEnvironment() != null) {
            var value = environment.apply(tag.getEnvironment().getName());
            return new TraceSettings.CustomTag(name, null, value != null ? value : tag.getEnvironment().getDefaultValue());
        }
        return new TraceSettings.CustomTag(name, null, null);
    }

    /** One override: Istio's defaults are every metric, both sides. */
    private static void override(MetricsOverride override, MetricsPolicy.Builder metrics) {
        var match = override.getMatch();
        var metric = match != null && match.getMetric() != null ? match.getMetric() : IstioMetric.ALL_METRICS;
        var mode = match != null && match.getMode() != null ? match.getMode() : WorkloadMode.CLIENT_AND_SERVER;
        var selected = metrics(metric);
        boolean client = mode != WorkloadMode.SERVER;
        boolean server = mode != WorkloadMode.CLIENT;
        if (override.getDisabled() != null) {
            metrics.disabled(selected, client, server, override.getDisabled());
        }
        new TreeMap<>(override.getTagOverrides()).forEach((label, tag) -> {
            if (tag.getOperation() == TagOperation.REMOVE) {
                metrics.remove(selected, client, server, label);
            } else {
                // any other CEL expression was warned about (ML0210) and leaves the label as it is
                CelLiterals.stringLiteral(tag.getValue())
                        .ifPresent(value -> metrics.upsert(selected, client, server, label, value));
            }
        });
    }

    /** The meshlog metrics an Istio metric name selects; meshlog has no TCP or gRPC message metrics. */
    private static List<RequestMetric> metrics(IstioMetric metric) {
        return switch (metric) {
            case ALL_METRICS -> List.of(RequestMetric.values());
            case REQUEST_COUNT -> List.of(RequestMetric.REQUEST_COUNT);
            case REQUEST_DURATION -> List.of(RequestMetric.REQUEST_DURATION);
            case REQUEST_SIZE -> List.of(RequestMetric.REQUEST_SIZE);
            case RESPONSE_SIZE -> List.of(RequestMetric.RESPONSE_SIZE);
            default -> List.of();
        };
    }
}
