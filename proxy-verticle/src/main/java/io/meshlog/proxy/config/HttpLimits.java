package io.meshlog.proxy.config;

import java.time.Duration;

/**
 * What an HTTP/1.1 listener accepts from a client before it refuses the request; the same for the
 * outbound and the inbound listener.
 *
 * @param maxHeaders header fields per request (and per trailer section): more get 431
 * @param maxHeaderBytes bytes of the header section (request line excluded): more get 431
 * @param maxUriBytes bytes of the request-target: more get 414
 * @param maxChunkBytes the largest chunk a chunked body may declare: larger gets 413
 * @param headerReadTimeout from the first byte of a request to the end of its header section
 *     (slowloris): later gets 408; {@link Duration#ZERO} turns it off
 */
public record HttpLimits(int maxHeaders, int maxHeaderBytes, int maxUriBytes, long maxChunkBytes,
        Duration headerReadTimeout) {
    /** Envoy's {@code max_headers_count}. */
    public static final int DEFAULT_MAX_HEADERS = 100;
    /** Envoy's {@code max_request_headers_kb}: 60 KiB. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 60 * 1024;
    /** nginx's {@code large_client_header_buffers} line size. */
    public static final int DEFAULT_MAX_URI_BYTES = 8 * 1024;
    public static final long DEFAULT_MAX_CHUNK_BYTES = 8L * 1024 * 1024;
    public static final Duration DEFAULT_HEADER_READ_TIMEOUT = Duration.ofSeconds(10);
    public static final HttpLimits DEFAULTS = new HttpLimits(DEFAULT_MAX_HEADERS, DEFAULT_MAX_HEADER_BYTES,
            DEFAULT_MAX_URI_BYTES, DEFAULT_MAX_CHUNK_BYTES, DEFAULT_HEADER_READ_TIMEOUT);

    public HttpLimits {
        ConfigException.require(maxHeaders >= 1 && maxHeaders <= 10_000, "listeners.http.maxHeaders",
                "must be between 1 and 10000, but was " + maxHeaders);
        ConfigException.require(maxHeaderBytes >= 1024 && maxHeaderBytes <= 1024 * 1024,
                "listeners.http.maxHeaderBytes", "must be between 1024 and 1048576, but was " + maxHeaderBytes);
        ConfigException.require(maxUriBytes >= 256 && maxUriBytes <= 1024 * 1024, "listeners.http.maxUriBytes",
                "must be between 256 and 1048576, but was " + maxUriBytes);
        ConfigException.require(maxChunkBytes >= 1 && maxChunkBytes <= Integer.MAX_VALUE,
                "listeners.http.maxChunkBytes", "must be between 1 and " + Integer.MAX_VALUE + ", but was " + maxChunkBytes);
        ConfigException.require(headerReadTimeout != null && !headerReadTimeout.isNegative(),
                "listeners.http.headerReadTimeout", "must be a duration of 0 or more, but was " + headerReadTimeout);
    }
}
