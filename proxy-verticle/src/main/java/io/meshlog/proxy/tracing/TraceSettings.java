package io.meshlog.proxy.tracing;

import java.util.List;

/**
 * What the Telemetry policies in force say about one request's span (Istio's {@code Telemetry.tracing}):
 * the sampling percentage of new traces and the custom tags added to the span.
 *
 * @param samplingPercentage 0 to 100, or null to keep the proxy's own setting
 * @param tags span attributes, in order
 */
public record TraceSettings(Double samplingPercentage, List<CustomTag> tags) {
    /** No Telemetry policy: the proxy's tracing settings, no custom tags. */
    public static final TraceSettings DEFAULT = new TraceSettings(null, List.of());

    public TraceSettings {
        if (samplingPercentage != null && !(samplingPercentage >= 0 && samplingPercentage <= 100)) {
            throw new IllegalArgumentException("randomSamplingPercentage must be between 0 and 100, but was "
                    + samplingPercentage);
        }
        tags = List.copyOf(tags);
    }

    /**
     * One custom tag: a literal (environment tags are resolved to literals when the policy is compiled)
     * or a request header.
     *
     * @param name the span attribute
     * @param header the request header read (lower case), or null for a literal
     * @param value the literal, or the header's default when the request lacks it (null: no attribute)
     */
    public record CustomTag(String name, String header, String value) {
        /** The attribute's value for a request with {@code headers}, or null to leave it out. */
        String valueFor(java.util.Map<String, String> headers) {
            if (header == null) {
                return value;
            }
            var fromRequest = headers.get(header);
            return fromRequest != null ? fromRequest : value;
        }
    }
}
