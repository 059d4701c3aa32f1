package io.meshlog.proxy.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.proxy.tracing.RequestTracer.SpanKind;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenTelemetryRequestTracerTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_ID = "00f067aa0ba902b7";

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private OpenTelemetryRequestTracer tracer;

    @AfterEach
    void closeTracer() {
        if (tracer != null) {
            tracer.close();
        }
    }

    private OpenTelemetryRequestTracer tracer(double percentage, TracingConfig.B3Injection b3) {
        tracer = new OpenTelemetryRequestTracer(
                new TracingConfig("orders", percentage, b3, TracingConfig.OtlpExport.OFF),
                SimpleSpanProcessor.create(exported));
        return tracer;
    }

    @Test
    void continuesTheTraceOfAnIncomingTraceparentAndRecordsHttpAttributes() {
        var tracer = tracer(0, TracingConfig.B3Injection.NONE);

        var span = tracer.start("orders inbound", SpanKind.SERVER, Map.of(
                "traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01", "host", "orders:8080"));
        span.end(503, "UF", Map.of(HttpSpanAttributes.REQUEST_METHOD, "GET",
                HttpSpanAttributes.URL_PATH, "/api/orders"));

        assertThat(span.traceId()).isEqualTo(TRACE_ID);
        assertThat(exported.getFinishedSpanItems()).singleElement().satisfies(data -> {
            assertThat(data.getParentSpanId()).isEqualTo(PARENT_ID);
            assertThat(data.getSpanId()).isEqualTo(span.spanId());
            assertThat(data.getKind()).isEqualTo(io.opentelemetry.api.trace.SpanKind.SERVER);
            assertThat(data.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            var attributes = data.getAttributes();
            assertThat(attributes.get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(503);
            assertThat(attributes.get(AttributeKey.stringKey("http.request.method"))).isEqualTo("GET");
            assertThat(attributes.get(AttributeKey.stringKey("url.path"))).isEqualTo("/api/orders");
            assertThat(attributes.get(AttributeKey.stringKey("server.address"))).isEqualTo("orders");
            assertThat(attributes.get(AttributeKey.stringKey("response_flags"))).isEqualTo("UF");
        });
    }

    @Test
    void readsB3MultiAndSingleHeaders() {
        var tracer = tracer(100, TracingConfig.B3Injection.NONE);

        var multi = tracer.start("multi", SpanKind.SERVER, Map.of(
                "x-b3-traceid", TRACE_ID, "x-b3-spanid", PARENT_ID, "x-b3-sampled", "1"));
        var single = tracer.start("single", SpanKind.SERVER, Map.of(
                "b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1"));

        assertThat(multi.traceId()).isEqualTo(TRACE_ID);
        assertThat(single.traceId()).isEqualTo("80f198ee56343ba864fe8b2a57d3eff7");
        single.end(200, "-", Map.of());
        assertThat(exported.getFinishedSpanItems()).singleElement()
                .satisfies(data -> assertThat(data.getParentSpanId()).isEqualTo("e457b5a2e4d86bd1"));
    }

    @Test
    void injectsTraceparentAndB3HeadersOfTheNewSpan() {
        var tracer = tracer(100, TracingConfig.B3Injection.MULTI);
        var span = tracer.start("orders outbound", SpanKind.CLIENT, Map.of(
                "traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01"));

        var headers = new HashMap<String, String>();
        span.inject(headers::put);

        assertThat(headers).containsEntry("traceparent", "00-" + TRACE_ID + "-" + span.spanId() + "-01")
                .containsEntry("X-B3-TraceId", TRACE_ID)
                .containsEntry("X-B3-SpanId", span.spanId())
                .containsEntry("X-B3-Sampled", "1");
    }

    @Test
    void injectsTheSingleB3HeaderWhenConfigured() {
        var tracer = tracer(100, TracingConfig.B3Injection.SINGLE);
        var span = tracer.start("orders outbound", SpanKind.CLIENT, Map.of());

        var headers = new HashMap<String, String>();
        span.inject(headers::put);

        assertThat(headers).containsEntry("b3", span.traceId() + "-" + span.spanId() + "-1")
                .doesNotContainKey("X-B3-TraceId");
    }

    @Test
    void samplingZeroPercentExportsNothingButStillPropagatesIds() {
        var tracer = tracer(0, TracingConfig.B3Injection.NONE);

        var headers = new HashMap<String, String>();
        for (int i = 0; i < 50; i++) {
            var span = tracer.start("orders outbound", SpanKind.CLIENT, Map.of());
            span.inject(headers::put);
            span.end(200, "-", Map.of());
            // Flags: sampled bit clear; 02 is W3C level 2's "trace id is random" bit.
            assertThat(headers.get("traceparent"))
                    .matches("00-" + span.traceId() + "-" + span.spanId() + "-0[02]");
        }

        assertThat(exported.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void samplingHundredPercentExportsEveryNewTrace() {
        var tracer = tracer(100, TracingConfig.B3Injection.NONE);

        for (int i = 0; i < 50; i++) {
            tracer.start("orders outbound", SpanKind.CLIENT, Map.of()).end(200, "-", Map.of());
        }

        assertThat(exported.getFinishedSpanItems()).hasSize(50)
                .allSatisfy(data -> assertThat(data.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET));
    }

    @Test
    void rejectsASamplingPercentageOutOfRange() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TracingConfig("orders", 120,
                        null, null))
                .hasMessage("tracing.samplingPercentage: must be between 0 and 100, but was 120.0");
    }

    private static String injectedTraceparent(RequestTracer.RequestSpan span) {
        var headers = new HashMap<String, String>();
        span.inject(headers::put);
        return headers.get("traceparent");
    }

    /** W3C trace-flags: bit 0 is "sampled" (other bits, such as OpenTelemetry's random-id bit, may be set). */
    private static boolean sampled(RequestTracer.RequestSpan span) {
        var traceparent = injectedTraceparent(span);
        return (Integer.parseInt(traceparent.substring(53, 55), 16) & 1) == 1;
    }

    @Test
    void aTelemetrySamplingPercentageOverridesTheProxysOwnForNewTracesOnly() {
        var tracer = tracer(100, TracingConfig.B3Injection.NONE);
        var never = new TraceSettings(0.0, java.util.List.of());

        var unsampled = tracer.start("new", SpanKind.CLIENT, Map.of(), never);
        var continued = tracer.start("continued", SpanKind.CLIENT,
                Map.of("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01"), never);
        var byProxy = tracer.start("default", SpanKind.CLIENT, Map.of());

        assertThat(sampled(unsampled)).isFalse();
        assertThat(sampled(continued)).as("an incoming decision is honoured").isTrue();
        assertThat(sampled(byProxy)).as("no policy: the proxy's 100%").isTrue();
    }

    @Test
    void customTagsOfATelemetryPolicyBecomeSpanAttributes() {
        var tracer = tracer(100, TracingConfig.B3Injection.NONE);
        var settings = new TraceSettings(null, java.util.List.of(new TraceSettings.CustomTag("team", null, "payments"),
                new TraceSettings.CustomTag("user", "x-user", "anonymous"), new TraceSettings.CustomTag("tenant", "x-tenant", null)));

        tracer.start("a", SpanKind.SERVER, Map.of("x-user", "alice"), settings).end(200, "-", Map.of());
        tracer.start("b", SpanKind.SERVER, Map.of(), settings).end(200, "-", Map.of());

        assertThat(exported.getFinishedSpanItems()).extracting(d -> d.getAttributes().get(AttributeKey.stringKey("user")))
                .containsExactly("alice", "anonymous");
        assertThat(exported.getFinishedSpanItems()).allSatisfy(d -> {
            assertThat(d.getAttributes().get(AttributeKey.stringKey("team"))).isEqualTo("payments");
            assertThat(d.getAttributes().get(AttributeKey.stringKey("tenant"))).as("no header, no default").isNull();
        });
    }

    @Test
    void theIdsOnlyTracerMarksNewTracesAtThePolicysPercentageAndKeepsAnIncomingFlag() {
        var always = new TraceSettings(100.0, java.util.List.of());

        assertThat(injectedTraceparent(RequestTracer.NOOP.start("a", SpanKind.CLIENT, Map.of(), always))).endsWith("-01");
        assertThat(injectedTraceparent(RequestTracer.NOOP.start("b", SpanKind.CLIENT, Map.of()))).endsWith("-00");
        assertThat(injectedTraceparent(RequestTracer.NOOP.start("c", SpanKind.CLIENT,
                Map.of("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01")))).startsWith("00-" + TRACE_ID).endsWith("-01");
    }

    @Test
    void withoutExportTheTracerStillMakesIdsPropagatesThemAndSamples() {
        try (var unexported = OpenTelemetryRequestTracer.create(TracingConfig.defaults("web"))) {
            var span = unexported.start("outbound", SpanKind.CLIENT, Map.of(), new TraceSettings(100.0, java.util.List.of()));

            assertThat(span.traceId()).as("not the SDK's invalid all-zero context").isNotEqualTo("0".repeat(32));
            assertThat(injectedTraceparent(span)).startsWith("00-" + span.traceId());
            assertThat(sampled(span)).isTrue();
        }
    }
}
