package io.meshlog.proxy.tracing;

/**
 * Attribute names a caller passes to {@link RequestTracer.RequestSpan#end}; they follow the
 * OpenTelemetry HTTP semantic conventions, so any tracing backend shows them in its usual places.
 */
public final class HttpSpanAttributes {
    /** {@code GET}, {@code POST}, ... */
    public static final String REQUEST_METHOD = "http.request.method";
    /** Set by the tracer from {@code end}'s status. */
    public static final String RESPONSE_STATUS_CODE = "http.response.status_code";
    /** The path, without the query string. */
    public static final String URL_PATH = "url.path";
    /** The Host (authority) the request was sent to, without port. */
    public static final String SERVER_ADDRESS = "server.address";
    /** Envoy's response flags (UO, UF, UT, ...), as Envoy's own tracer names them. */
    public static final String RESPONSE_FLAGS = "response_flags";
    /** The route that matched, when any. */
    public static final String ROUTE = "http.route";

    private HttpSpanAttributes() {}
}
