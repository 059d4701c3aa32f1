package io.meshlog.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each listener limit of {@code listeners.http} on its own, just under and just over it: the
 * status, the {@code DPE} flag, the closed connection and the rejection counter.
 */
class HttpLimitsIT {
    private ProxyHarness proxy;

    @BeforeEach
    void start() throws Exception {
        proxy = new ProxyHarness();
        var orders = proxy.upstream("orders-v1");
        proxy.start("""
                proxy: {id: p1, workload: frontend}
                listeners:
                  outbound: {port: 0}
                  admin: {port: 0}
                  http: {maxHeaders: 5, maxHeaderBytes: 1024, maxUriBytes: 256, maxChunkBytes: 16, headerReadTimeout: 300ms}
                services:
                  - name: orders
                    endpoints: [{port: %d, workload: orders-v1}]
                """.formatted(orders.port()), Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
    }

    private String exchange(String raw) throws IOException {
        try (var socket = new Socket("127.0.0.1", proxy.verticle.outboundPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String get(String path, String extraHeaders) {
        return "GET " + path + " HTTP/1.1\r\nHost: orders\r\nConnection: close\r\n" + extraHeaders + "\r\n";
    }

    @Test
    void headerCount() throws Exception {
        assertThat(exchange(get("/", "X-A: 1\r\nX-B: 2\r\nX-C: 3\r\n"))).startsWith("HTTP/1.1 200");
        var refused = exchange(get("/", "X-A: 1\r\nX-B: 2\r\nX-C: 3\r\nX-D: 4\r\n"));

        assertThat(refused).startsWith("HTTP/1.1 431").contains("x-response-flags: DPE", "too many request header fields");
        assertThat(proxy.admin("/metrics").body()).contains(
                "meshlog_proxy_http_rejected_total{listener=\"outbound\",reason=\"too_many_headers\",response_code=\"431\"} 1.0");
    }

    @Test
    void headerSectionSize() throws Exception {
        assertThat(exchange(get("/", "X-Big: " + "a".repeat(900) + "\r\n"))).startsWith("HTTP/1.1 200");

        assertThat(exchange(get("/", "X-Big: " + "a".repeat(1000) + "\r\n")))
                .startsWith("HTTP/1.1 431").contains("request header section too large");
    }

    @Test
    void uriLength() throws Exception {
        assertThat(exchange(get("/" + "a".repeat(255), ""))).startsWith("HTTP/1.1 200");

        assertThat(exchange(get("/" + "a".repeat(256), ""))).startsWith("HTTP/1.1 414").contains("x-response-flags: DPE");
    }

    @Test
    void chunkSize() throws Exception {
        var post = "POST / HTTP/1.1\r\nHost: orders\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n";
        assertThat(exchange(post + "10\r\n" + "a".repeat(16) + "\r\n0\r\n\r\n")).startsWith("HTTP/1.1 200");

        assertThat(exchange(post + "11\r\n" + "a".repeat(17) + "\r\n0\r\n\r\n")).startsWith("HTTP/1.1 413")
                .contains("chunk larger than the listener accepts");
    }

    @Test
    void aHeadNotFinishedInTimeGets408AndTheConnectionIsClosed() throws Exception {
        // slowloris: the head is never finished; readAllBytes returns once the proxy has answered and closed
        var reply = exchange("GET / HTTP/1.1\r\nHost: orders\r\nX-Slow: 1\r\n");

        assertThat(reply).startsWith("HTTP/1.1 408").contains("x-response-flags: DPE", "connection: close");
        assertThat(proxy.admin("/metrics").body()).contains(
                "meshlog_proxy_http_rejected_total{listener=\"outbound\",reason=\"header_timeout\",response_code=\"408\"} 1.0");
    }
}
