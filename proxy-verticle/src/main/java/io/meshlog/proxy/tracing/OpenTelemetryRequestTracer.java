package io.meshlog.proxy.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * {@link RequestTracer} on the OpenTelemetry SDK. Reads W3C {@code traceparent} and B3 (single
 * and multi header; W3C wins when both are present), writes {@code traceparent} and the configured
 * B3 form, samples new traces at the Telemetry policy's percentage (else the configured one) and
 * honours an incoming decision; a policy's custom tags become span attributes.
 * Without an OTLP endpoint no span is exported, but ids are still made and propagated.
 *
 * <p>Thread-safe; {@code start} and {@code end} only touch the SDK's lock-free structures. Export
 * runs on the SDK's batch thread.
 */
public final class OpenTelemetryRequestTracer implements RequestTracer, AutoCloseable {
    private static final AttributeKey<Long> STATUS_CODE =
            AttributeKey.longKey(HttpSpanAttributes.RESPONSE_STATUS_CODE);
    private static final AttributeKey<String> RESPONSE_FLAGS =
            AttributeKey.stringKey(HttpSpanAttributes.RESPONSE_FLAGS);
    private static final AttributeKey<String> SERVER_ADDRESS =
            AttributeKey.stringKey(HttpSpanAttributes.SERVER_ADDRESS);

    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final TextMapPropagator extractor;
    private final TextMapPropagator injector;

    /** A tracer exporting to the OTLP endpoint of {@code config}, or nowhere when it is off. */
    public static OpenTelemetryRequestTracer create(TracingConfig config) {
        var otlp = config.otlp();
        SpanProcessor processor = otlp.enabled()
                ? BatchSpanProcessor.builder(exporter(otlp)).build()
                : new DiscardingSpanProcessor();
        return new OpenTelemetryRequestTracer(config, processor);
    }

    /**
     * A tracer handing finished sampled spans to {@code processor} (tests pass a
     * {@code SimpleSpanProcessor} over an in-memory exporter).
     */
    public OpenTelemetryRequestTracer(TracingConfig config, SpanProcessor processor) {
        provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), config.serviceName()))))
                .setSampler(Sampler.parentBased(new PolicySampler(config.samplingPercentage())))
                .addSpanProcessor(processor)
                .build();
        tracer = provider.get("io.meshlog.proxy");
        // Composite extraction lets the later propagator override: W3C goes last so it wins.
        extractor = TextMapPropagator.composite(
                B3Propagator.injectingMultiHeaders(), W3CTraceContextPropagator.getInstance());
        injector = switch (config.b3Injection()) {
            case NONE -> W3CTraceContextPropagator.getInstance();
            case SINGLE -> TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
                    B3Propagator.injectingSingleHeader());
            case MULTI -> TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
                    B3Propagator.injectingMultiHeaders());
        };
    }

    private static SpanExporter exporter(TracingConfig.OtlpExport otlp) {
        var endpoint = otlp.endpoint().toString();
        long timeoutMillis = otlp.timeout().toMillis();
        return switch (otlp.protocol()) {
            case GRPC -> OtlpGrpcSpanExporter.builder().setEndpoint(endpoint)
                    .setTimeout(timeoutMillis, TimeUnit.MILLISECONDS).build();
            case HTTP_PROTOBUF -> OtlpHttpSpanExporter.builder().setEndpoint(endpoint)
                    .setTimeout(timeoutMillis, TimeUnit.MILLISECONDS).build();
        };
    }

    @Override
    public RequestSpan start(String name, SpanKind kind, Map<String, String> incomingHeaders, TraceSettings settings) {
        var parent = extractor.extract(Context.root(), incomingHeaders, HeaderGetter.INSTANCE);
        if (settings.samplingPercentage() != null) {
            parent = parent.with(PolicySampler.PERCENTAGE, settings.samplingPercentage());
        }
        var builder = tracer.spanBuilder(name).setParent(parent).setSpanKind(
                kind == SpanKind.SERVER ? io.opentelemetry.api.trace.SpanKind.SERVER
                        : io.opentelemetry.api.trace.SpanKind.CLIENT);
        var host = incomingHeaders.get("host");
        if (host != null) {
            builder.setAttribute(SERVER_ADDRESS, stripPort(host));
        }
        for (var tag : settings.tags()) {
            var value = tag.valueFor(incomingHeaders);
            if (value != null) {
                builder.setAttribute(tag.name(), value);
            }
        }
        return new OtelSpan(builder.startSpan(), kind, injector);
    }

    private static String stripPort(String host) {
        int colon = host.lastIndexOf(':');
        boolean ipv6 = host.startsWith("[");
        if (colon < 0 || (ipv6 && colon < host.indexOf(']'))) {
            return host;
        }
        return host.substring(0, colon);
    }

    /** Flushes pending spans (bounded by the export timeout) and stops the export thread. */
    @Override
    public void close() {
        provider.shutdown().join(10, TimeUnit.SECONDS);
    }

    private record OtelSpan(Span span, SpanKind kind, TextMapPropagator injector)
            implements RequestSpan {
        @Override
        public String traceId() {
            return span.getSpanContext().getTraceId();
        }

        @Override
        public String spanId() {
            return span.getSpanContext().getSpanId();
        }

        @Override
        public void inject(BiConsumer<String, String> headerSetter) {
            injector.inject(Context.root().with(span), headerSetter, BiConsumer::accept);
        }

        @Override
        public void end(int status, String responseFlags, Map<String, String> attributes) {
            if (span.isRecording()) {
                attributes.forEach(span::setAttribute);
                if (status > 0) {
                    span.setAttribute(STATUS_CODE, status);
                }
                if (responseFlags != null && !responseFlags.isEmpty() && !"-".equals(responseFlags)) {
                    span.setAttribute(RESPONSE_FLAGS, responseFlags);
                }
                if (isError(status)) {
                    span.setStatus(StatusCode.ERROR);
                }
            }
            span.end();
        }

        /** Semantic conventions: 4xx is an error for a client span only; no response is one. */
        private boolean isError(int status) {
            return status <= 0 || status >= 500 || (kind == SpanKind.CLIENT && status >= 400);
        }
    }

    private enum HeaderGetter implements TextMapGetter<Map<String, String>> {
        INSTANCE;

        @Override
        public String get(Map<String, String> carrier, String key) {
            if (carrier == null) {
                return null;
            }
            var value = carrier.get(key);
            // Callers pass lower-case names, but B3 is specified as X-B3-TraceId: accept either.
            return value != null ? value : carrier.get(key.toLowerCase(java.util.Locale.ROOT));
        }
    }
}
