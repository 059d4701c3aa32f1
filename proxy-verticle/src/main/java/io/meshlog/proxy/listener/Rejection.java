package io.meshlog.proxy.listener;

/**
 * Why a listener refused a request before it reached the proxy's handlers, with the status it is
 * answered with (RFC 9112/9110) and the label used in {@code meshlog_proxy_http_rejected_total}.
 * Every refusal carries the Envoy response flag {@code DPE} (downstream protocol error) and closes
 * the connection, so no byte after the refused message is ever interpreted.
 */
public enum Rejection {
    BAD_REQUEST_LINE(400, "malformed request line"),
    UNSUPPORTED_VERSION(505, "HTTP version not supported"),
    URI_TOO_LONG(414, "request-target too long"),
    HEADERS_TOO_LARGE(431, "request header section too large"),
    TOO_MANY_HEADERS(431, "too many request header fields"),
    BAD_FIELD_NAME(400, "invalid header field name"),
    BAD_FIELD_VALUE(400, "invalid header field value"),
    OBS_FOLD(400, "obsolete line folding is not accepted"),
    BARE_CR(400, "CR not followed by LF"),
    BARE_LF(400, "LF without CR"),
    MISSING_HOST(400, "HTTP/1.1 request without Host"),
    MULTIPLE_HOST(400, "more than one Host header"),
    BAD_CONTENT_LENGTH(400, "invalid Content-Length"),
    MULTIPLE_CONTENT_LENGTH(400, "more than one Content-Length"),
    TRANSFER_ENCODING_WITH_CONTENT_LENGTH(400, "Transfer-Encoding together with Content-Length"),
    TRANSFER_ENCODING_IN_HTTP10(400, "Transfer-Encoding in an HTTP/1.0 request"),
    UNSUPPORTED_TRANSFER_CODING(501, "transfer coding not implemented (only chunked)"),
    BAD_TRANSFER_ENCODING(400, "chunked must be the last transfer coding, once"),
    BAD_CHUNK(400, "malformed chunked body"),
    CHUNK_TOO_LARGE(413, "chunk larger than the listener accepts"),
    UPGRADE_REFUSED(403, "upgrade not supported (only h2c)"),
    HEADER_TIMEOUT(408, "request header read timeout");

    private final int status;
    private final String message;

    Rejection(int status, String message) {
        this.status = status;
        this.message = message;
    }

    public int status() {
        return status;
    }

    /** The plain-text body of the reply. */
    public String message() {
        return message;
    }

    /** The bounded metric label, e.g. {@code obs_fold}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
