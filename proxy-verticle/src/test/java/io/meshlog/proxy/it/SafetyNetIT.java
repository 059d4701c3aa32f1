package io.meshlog.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlog.proxy.http.ForwardPathProbe;
import io.meshlog.schemas.v1.ResponseFlag;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bug inside the forward path (stood for by a probe that throws at one step) is answered 500 with
 * flag IE, counted in the Istio metrics and {@code meshlog_proxy_internal_errors_total}, and reported
 * in one telemetry event, on both listeners; the proxy goes on serving.
 */
class SafetyNetIT {
    private ProxyHarness proxy;

    @BeforeEach
    void start() throws Exception {
        proxy = new ProxyHarness();
        var app = proxy.upstream("orders-v1");
        proxy.start("""
                proxy: {id: p1, workload: frontend, labels: {app: orders}}
                listeners:
                  outbound: {port: 0}
                  inbound: {port: 0, appPort: %d}
                  admin: {port: 0}
                services:
                  - name: orders
                    endpoints: [{port: %d, workload: orders-v1}]
                """.formatted(app.port(), app.port()), Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
    }

    private void failAt(ForwardPathProbe.Step step) {
        proxy.verticle.forwardPathProbe((at, ctx) -> {
            if (at == step) {
                throw new IllegalStateException("injected failure at " + step);
            }
        });
    }

    @Test
    void aFailureWhileTheTriesStartOnTheOutboundListener() throws Exception {
        failAt(ForwardPathProbe.Step.TRIES);

        var reply = proxy.get("orders", "/x");

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.header("x-response-flags")).isEqualTo("IE");
        assertReported("outbound", "source");
    }

    @Test
    void aFailureBeforeRoutingOnTheOutboundListener() throws Exception {
        failAt(ForwardPathProbe.Step.RECEIVED);

        var reply = proxy.get("orders", "/x");

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.header("x-response-flags")).isEqualTo("IE");
        assertReported("outbound", "source");
    }

    @Test
    void aFailureAfterTheTryOnTheInboundListener() throws Exception {
        failAt(ForwardPathProbe.Step.RESPONSE);

        var reply = proxy.send("GET", proxy.verticle.inboundPort(), "orders", "/x", Map.of(), null).get(20, TimeUnit.SECONDS);

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.header("x-response-flags")).isEqualTo("IE");
        assertReported("inbound", "destination");
    }

    private void assertReported(String listener, String reporter) throws Exception {
        await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.telemetry.events().isEmpty());
        var event = proxy.telemetry.events().get(0);
        assertThat(event.getStatus()).isEqualTo(500);
        assertThat(event.getResponseFlags()).containsExactly(ResponseFlag.IE);
        var metrics = proxy.admin("/metrics").body();
        assertThat(metrics).contains("meshlog_proxy_internal_errors_total{listener=\"" + listener + "\"} 1.0");
        assertThat(metrics).containsPattern("istio_requests_total\\{[^}]*reporter=\"" + reporter
                + "\"[^}]*response_code=\"500\",response_flags=\"IE\"");
        proxy.verticle.forwardPathProbe(ForwardPathProbe.NONE);
        assertThat(proxy.get("orders", "/after").status()).isEqualTo(200);
    }
}
