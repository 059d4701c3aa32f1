package io.meshlog.proxy.security;

import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.proxy.http.UpstreamSecurity;
import io.meshlog.proxy.identity.KeyCertMaterial;
import io.meshlog.proxy.identity.MeshTls;
import io.meshlog.proxy.resilience.Cluster;
import io.meshlog.proxy.resilience.EndpointState;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.PoolOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outbound mTLS: tries to an endpoint that has a SPIFFE id in the registry (another proxy's inbound
 * listener) go over mutual TLS with this workload's certificate; endpoints without one (outside
 * the mesh) stay plaintext, as Istio's auto mTLS. After the handshake and before anything is sent,
 * the server's SPIFFE id must be one of the identities of the destination service (its endpoints'
 * SPIFFE ids); otherwise the try fails as a connect failure (503 UF) with the reason. Clients made
 * here get every renewed certificate through {@code updateSSLOptions}: new connections use it,
 * open ones are untouched.
 */
final class UpstreamMtls implements UpstreamSecurity {
    private static final Logger LOGGER = LoggerFactory.getLogger(UpstreamMtls.class);

    private final Supplier<KeyCertMaterial> material;
    private final SecurityMetrics metrics;
    private final List<HttpClientAgent> clients = new CopyOnWriteArrayList<>();

    /** @param material the current material, null before the first certificate */
    UpstreamMtls(Supplier<KeyCertMaterial> material, SecurityMetrics metrics) {
        this.material = material;
        this.metrics = metrics;
    }

    @Override
    public boolean originatesMtls(Endpoint endpoint) {
        return !endpoint.spiffeId().isEmpty();
    }

    @Override
    public HttpClientAgent mtlsClient(Vertx vertx, HttpClientOptions options, PoolOptions pool) {
        var current = material.get();
        if (current == null) {
            return null;
        }
        var client = vertx.httpClientBuilder().with(MeshTls.applyTo(options, MeshTls.clientOptions(current)))
                .with(pool).build();
        clients.add(client);
        return client;
    }

    /** Gives every client made here the new material for its next connections. */
    void swap(KeyCertMaterial next) {
        for (var client : clients) {
            MeshTls.hotSwap(client, next).onFailure(e -> LOGGER.atWarn().addKeyValue("serial", next.serial())
                    .addKeyValue("error", e.getMessage()).log("outbound client kept its previous certificate"));
        }
    }

    @Override
    public String verifyServer(HttpConnection connection, Cluster cluster, EndpointState endpoint) {
        var peer = ConnectionPeer.of(connection);
        if (peer == null) {
            metrics.upstreamIdentityRefused(cluster.service());
            return "TLS error: the server presented no mesh SPIFFE identity";
        }
        var id = peer.identity().spiffeId().uri();
        if (id.equals(endpoint.endpoint().spiffeId())) {
            return null;
        }
        var endpoints = cluster.endpoints();
        for (int i = 0; i < endpoints.size(); i++) {
            if (id.equals(endpoints.get(i).endpoint().spiffeId())) {
                return null;
            }
        }
        metrics.upstreamIdentityRefused(cluster.service());
        return "TLS error: server identity " + id + " is not an identity of " + cluster.service();
    }
}
