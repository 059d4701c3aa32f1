package io.meshlog.proxy.resilience;

import java.time.Duration;

/**
 * Istio's ConnectionPoolSettings (TCP and HTTP) of one destination; defaults are Envoy's
 * circuit-breaker defaults.
 *
 * @param maxConnections HTTP/1.1 connections per endpoint
 * @param http1MaxPendingRequests requests of the service waiting for a connection at once
 * @param http2MaxRequests requests of the service in flight at once
 * @param maxRequestsPerConnection requests a connection serves before it is closed; 0 for no limit
 * @param connectTimeout TCP connect timeout
 * @param idleTimeout an idle pooled connection is closed after it; {@link Duration#ZERO} for never
 */
public record PoolLimits(
        int maxConnections, int http1MaxPendingRequests, int http2MaxRequests, int maxRequestsPerConnection,
        Duration connectTimeout, Duration idleTimeout) {
    public static final int DEFAULT_LIMIT = 1024;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final PoolLimits DEFAULT = new PoolLimits(DEFAULT_LIMIT, DEFAULT_LIMIT, DEFAULT_LIMIT, 0,
            DEFAULT_CONNECT_TIMEOUT, Duration.ofHours(1));

    public PoolLimits {
        positive(maxConnections, "maxConnections");
        positive(http1MaxPendingRequests, "http1MaxPendingRequests");
        positive(http2MaxRequests, "http2MaxRequests");
        if (maxRequestsPerConnection < 0) {
            throw new IllegalArgumentException("connectionPool.http.maxRequestsPerConnection: must not be negative, but was "
                    + maxRequestsPerConnection);
        }
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectionPool.tcp.connectTimeout: must be a positive duration, but was " + connectTimeout);
        }
        if (idleTimeout == null || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("connectionPool.http.idleTimeout: must not be negative, but was " + idleTimeout);
        }
    }

    private static void positive(int value, String field) {
        if (value < 1) {
            throw new IllegalArgumentException("connectionPool." + field + ": must be at least 1, but was " + value);
        }
    }
}
