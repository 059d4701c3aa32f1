package io.meshlog.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy holds request bodies whole (a retry resends them), so it refuses bodies over
 * {@code proxy.maxRequestBytes} with 413 before anything reaches the upstream, whether the size is
 * declared or only seen while a chunked body streams in.
 */
class RequestBodyLimitIT {
    private ProxyHarness proxy;
    private TestUpstream orders;

    @BeforeEach
    void start() throws Exception {
        proxy = new ProxyHarness();
        orders = proxy.upstream("orders-v1");
        orders.behave(request -> request.body().onComplete(body -> request.response()
                .putHeader("x-upstream", "orders-v1").end("got " + body.result().length())));
        proxy.start("""
                proxy: {id: p1, workload: frontend, maxRequestBytes: 1024}
                listeners:
                  outbound: {port: 0}
                  admin: {port: 0}
                services:
                  - name: orders
                    endpoints: [{port: %d, workload: orders-v1}]
                """.formatted(orders.port()), Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
    }

    private HttpResponse<String> postChunked(int bytes) throws Exception {
        // ofInputStream has no known length: the JDK client sends it chunked, without content-length
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.verticle.outboundPort() + "/orders"))
                .timeout(Duration.ofSeconds(15)).header("Host", "orders")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[bytes])))
                .build();
        return proxy.client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBodyUpToTheLimitIsForwardedWhole() throws Exception {
        var reply = proxy.post("orders", "/orders", "x".repeat(1024));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("got 1024");
        assertThat(postChunked(1000).body()).isEqualTo("got 1000");
    }

    @Test
    void aDeclaredOrStreamedBodyOverTheLimitGets413AndNeverReachesTheUpstream() throws Exception {
        var declared = proxy.post("orders", "/orders", "x".repeat(1025));
        var streamed = postChunked(64 * 1024);

        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.body()).isEqualTo("Payload Too Large");
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertThat(orders.hits).hasValue(0);
        assertThat(proxy.telemetry.events()).hasSize(2).allSatisfy(event -> {
            assertThat(event.getStatus()).isEqualTo(413);
            assertThat(event.getDestinationService()).isEqualTo("orders");
        });
        assertThat(proxy.admin("/metrics").body()).contains("response_code=\"413\"");
        // the proxy keeps serving (HTTP/1.1 closed the refused connections, whose bodies it did not read)
        assertThat(proxy.post("orders", "/orders", "small").status()).isEqualTo(200);
    }
}
