package io.meshlog.proxy.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The root sampler of new traces: OpenTelemetry's trace-id ratio sampler at the percentage the
 * Telemetry policies in force put in the span's parent context ({@link #PERCENTAGE}), or the proxy's
 * own. The SDK builds its sampler once; the percentage travels with each span so that a policy
 * change applies to the next request without rebuilding the tracer.
 */
final class PolicySampler implements Sampler {
    /** The sampling percentage of the Telemetry policies in force for one span. */
    static final ContextKey<Double> PERCENTAGE = ContextKey.named("meshlog-sampling-percentage");
    /** Percentages come from policies; more distinct ones than this and the cache starts over. */
    private static final int MAX_CACHED = 64;

    private final double defaultPercentage;
    private final Map<Double, Sampler> samplers = new ConcurrentHashMap<>();

    PolicySampler(double defaultPercentage) {
        this.defaultPercentage = defaultPercentage;
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
            Attributes attributes, List<LinkData> parentLinks) {
        var percentage = parentContext.get(PERCENTAGE);
        return ratio(percentage != null ? percentage : defaultPercentage)
                .shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    private Sampler ratio(double percentage) {
        var sampler = samplers.get(percentage);
        if (sampler == null) {
            if (samplers.size() >= MAX_CACHED) {
                samplers.clear();
            }
            sampler = samplers.computeIfAbsent(percentage, p -> Sampler.traceIdRatioBased(p / 100.0));
        }
        return sampler;
    }

    @Override
    public String getDescription() {
        return "PolicySampler{default=" + defaultPercentage + "%}";
    }
}
