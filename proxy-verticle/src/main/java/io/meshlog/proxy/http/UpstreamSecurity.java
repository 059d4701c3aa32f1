package io.meshlog.proxy.http;

import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.proxy.resilience.Cluster;
import io.meshlog.proxy.resilience.EndpointState;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.PoolOptions;

/**
 * How the {@link UpstreamClient} secures a try: plaintext ({@link #PLAINTEXT}, static mode), or
 * mutual TLS to mesh endpoints with a check of the server's identity before anything is sent
 * (implemented in {@code io.meshlog.proxy.security}).
 */
public interface UpstreamSecurity {
    /** Plaintext to every endpoint, as without a workload certificate. */
    UpstreamSecurity PLAINTEXT = new UpstreamSecurity() {
        @Override
        public boolean originatesMtls(Endpoint endpoint) {
            return false;
        }

        @Override
        public HttpClientAgent mtlsClient(Vertx vertx, HttpClientOptions options, PoolOptions pool) {
            throw new IllegalStateException("plaintext upstream security has no mTLS client");
        }

        @Override
        public String verifyServer(HttpConnection connection, Cluster cluster, EndpointState endpoint) {
            return null;
        }
    };

    /** Whether tries to {@code endpoint} originate mTLS (it is another proxy's inbound listener). */
    boolean originatesMtls(Endpoint endpoint);

    /**
     * A pooled client that originates mTLS with this workload's certificate and keeps it current
     * on renewal; null while there is no certificate yet.
     */
    HttpClientAgent mtlsClient(Vertx vertx, HttpClientOptions options, PoolOptions pool);

    /**
     * Null when the server on {@code connection} may serve {@code cluster}; otherwise why not, as
     * a short text for the local reply and logs (never key material).
     */
    String verifyServer(HttpConnection connection, Cluster cluster, EndpointState endpoint);
}
