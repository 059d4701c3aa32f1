package io.meshlog.dev.demo;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Once a second, the two kinds of traffic every real mesh also sees, so the dashboards' 4xx and
 * plaintext panels show something: a client outside the mesh calling the entry service's sidecar
 * in plaintext (accepted under its PERMISSIVE PeerAuthentication, then refused by authorization:
 * 403, {@code connection_security_policy="none"}), and the load generator's sidecar asked for a
 * retired service no VirtualService or registry knows (404 NR, answered by the sidecar itself).
 */
public final class EdgeProbes {
    /** A host nothing serves. */
    public static final String RETIRED_SERVICE = "retired-billing";

    private final Vertx vertx;
    private final int entryInboundPort;
    private final int sidecarOutboundPort;
    private HttpClient client;
    private long timer = -1;

    /**
     * @param entryInboundPort the entry service's inbound listener (its sidecar), called without a sidecar
     * @param sidecarOutboundPort the load generator's sidecar
     */
    public EdgeProbes(Vertx vertx, int entryInboundPort, int sidecarOutboundPort) {
        this.vertx = vertx;
        this.entryInboundPort = entryInboundPort;
        this.sidecarOutboundPort = sidecarOutboundPort;
    }

    public void start() {
        client = vertx.createHttpClient();
        timer = vertx.setPeriodic(1000, t -> {
            send(entryInboundPort, DemoTopology.ENTRY_SERVICE);
            send(sidecarOutboundPort, RETIRED_SERVICE);
        });
    }

    private void send(int port, String host) {
        var options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
                .setURI("/checkout").putHeader("host", host);
        // the answers (403, 404) are the point; nothing to do with them
        client.request(options).compose(r -> r.send().compose(resp -> resp.body())).onComplete(ar -> { });
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (client != null) {
            client.close();
        }
    }
}
