package io.meshlog.proxy.tracing;

import io.meshlog.proxy.config.ConfigException;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * How a proxy traces requests. Defaults match Istio's mesh config: 1% sampling, no export.
 *
 * @param serviceName {@code service.name} of the spans, usually the workload name
 * @param samplingPercentage 0 to 100, the share of new traces (requests without a sampled parent)
 *     that are recorded; an incoming sampling decision is honoured (parent-based)
 * @param b3Injection which B3 headers are written upstream besides W3C {@code traceparent}; B3 is
 *     always read, single and multi header
 * @param otlp where spans are exported, or {@link OtlpExport#OFF}: ids still propagate
 */
public record TracingConfig(
        String serviceName, double samplingPercentage, B3Injection b3Injection, OtlpExport otlp) {
    /** Istio's default {@code randomSamplingPercentage}. */
    public static final double DEFAULT_SAMPLING_PERCENTAGE = 1.0;

    public TracingConfig {
        if (serviceName == null || serviceName.isBlank()) {
            throw new ConfigException(
                    "tracing.serviceName", "must be a non-blank name, but was " + serviceName);
        }
        if (!(samplingPercentage >= 0 && samplingPercentage <= 100)) {
            throw new ConfigException("tracing.samplingPercentage", "must be between 0 and"
                    + " 100, but was " + samplingPercentage);
        }
        b3Injection = b3Injection == null ? B3Injection.MULTI : b3Injection;
        otlp = otlp == null ? OtlpExport.OFF : otlp;
    }

    /** Default settings for {@code serviceName}: 1% sampling, B3 multi header, no export. */
    public static TracingConfig defaults(String serviceName) {
        return new TracingConfig(serviceName, DEFAULT_SAMPLING_PERCENTAGE, B3Injection.MULTI,
                OtlpExport.OFF);
    }

    /** Which B3 form is injected (Zipkin's single {@code b3} header or the {@code X-B3-*} set). */
    public enum B3Injection { NONE, SINGLE, MULTI }

    /** OTLP transport: gRPC (port 4317) or HTTP/protobuf (port 4318, path /v1/traces). */
    public enum OtlpProtocol {
        GRPC, HTTP_PROTOBUF;

        /** Parses {@code grpc} or {@code http/protobuf}, as OTEL_EXPORTER_OTLP_PROTOCOL spells it. */
        public static OtlpProtocol parse(String value) {
            return switch (value == null ? "" : value.trim().toLowerCase(Locale.ROOT)) {
                case "grpc" -> GRPC;
                case "http/protobuf", "http" -> HTTP_PROTOBUF;
                default -> throw new ConfigException("tracing.otlp.protocol", "must be"
                        + " 'grpc' or 'http/protobuf', but was '" + value + "'");
            };
        }
    }

    /**
     * Span export over OTLP.
     *
     * @param endpoint collector URL, e.g. {@code http://127.0.0.1:4317}; null when export is off
     * @param protocol gRPC or HTTP/protobuf
     * @param timeout how long one export may take before the batch is dropped
     */
    public record OtlpExport(URI endpoint, OtlpProtocol protocol, Duration timeout) {
        /** The SDK's default export timeout. */
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
        /** No export. */
        public static final OtlpExport OFF = new OtlpExport(null, OtlpProtocol.GRPC, null);

        public OtlpExport {
            ConfigException.require(protocol != null, "tracing.otlp.protocol",
                    "must be GRPC or HTTP_PROTOBUF, but was null");
            timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
            if (timeout.isNegative() || timeout.isZero()) {
                throw new ConfigException(
                        "tracing.otlp.timeout", "must be a positive duration, but was " + timeout);
            }
            if (endpoint != null && !("http".equals(endpoint.getScheme())
                    || "https".equals(endpoint.getScheme()))) {
                throw new ConfigException("tracing.otlp.endpoint", "must be an http or"
                        + " https URL, but was '" + endpoint + "'");
            }
        }

        public boolean enabled() {
            return endpoint != null;
        }
    }
}
