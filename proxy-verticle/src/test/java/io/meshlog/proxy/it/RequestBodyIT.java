package io.meshlog.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Request bodies are held only for retries, up to {@code proxy.retryBufferBytes}: a body no retry
 * can need (non-idempotent method, no retry policy, the inbound hop) streams to the upstream as it
 * arrives; a retriable request whose body outgrows the buffer streams too, is tried once, and is
 * counted in {@code meshlog_proxy_retry_buffer_overflow_total}.
 */
class RequestBodyIT {
    private static final int LIMIT = 16 * 1024;
    private static final int FIRST_PART = 64 * 1024;

    private ProxyHarness proxy;
    private TestUpstream orders;
    private HttpClient client;
    /** Body bytes the upstream has received so far, and in how many chunks. */
    private final AtomicLong received = new AtomicLong();
    private final AtomicInteger chunks = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        proxy = new ProxyHarness();
        orders = proxy.upstream("orders-v1");
        orders.behave(request -> {
            request.handler(chunk -> {
                received.addAndGet(chunk.length());
                chunks.incrementAndGet();
            });
            request.endHandler(end -> request.response().setStatusCode(request.path().startsWith("/fail") ? 503 : 200)
                    .end("got " + received.get()));
        });
        proxy.start("""
                proxy: {id: p1, workload: frontend, labels: {app: orders}, retryBufferBytes: %d}
                listeners:
                  outbound: {port: 0}
                  inbound: {port: 0, appPort: %d}
                  admin: {port: 0}
                services:
                  - name: orders
                    endpoints: [{port: %d, workload: orders-v1}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: orders}
                spec:
                  hosts: [orders]
                  http: [{retries: {attempts: 2, retryOn: [5xx]}, route: [{destination: {host: orders}}]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: orders}
                spec: {host: orders, trafficPolicy: {outlierDetection: {consecutive5xxErrors: 0}}}
                """.formatted(LIMIT, orders.port(), orders.port()), Clock.systemUTC());
        client = proxy.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
    }

    /**
     * Sends a chunked body: {@code FIRST_PART} bytes, then, only once the upstream has received all
     * of them, {@code rest} more. A proxy that held the whole body would never let the first part
     * through before the end, so the request would not complete.
     */
    private String sendInTwoParts(HttpMethod method, int port, String path, int rest) throws Exception {
        var request = ProxyHarness.await(client.request(new RequestOptions().setMethod(method).setPort(port)
                .setHost("127.0.0.1").setURI(path).putHeader("host", "orders")));
        request.setChunked(true);
        // the body handler is set in the response's own callback, before any of it can arrive
        var reply = request.response().compose(r -> r.body().map(body -> r.statusCode() + " " + body));
        ProxyHarness.await(request.write(Buffer.buffer(new byte[FIRST_PART])));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.get() >= FIRST_PART);
        ProxyHarness.await(request.end(Buffer.buffer(new byte[rest])));
        return ProxyHarness.await(reply);
    }

    @Test
    void aNonIdempotentRequestStreamsItsBodyToTheUpstreamAsItArrives() throws Exception {
        var reply = sendInTwoParts(HttpMethod.POST, proxy.verticle.outboundPort(), "/orders", 4 * 1024 * 1024);

        assertThat(reply).isEqualTo("200 got " + (FIRST_PART + 4 * 1024 * 1024));
        assertThat(chunks.get()).isGreaterThan(2);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(proxy.telemetry.events()).singleElement()
                .satisfies(event -> assertThat(event.getRequestBytes()).isEqualTo(FIRST_PART + 4L * 1024 * 1024)));
    }

    @Test
    void theInboundHopStreamsTheBodyToTheApp() throws Exception {
        var reply = sendInTwoParts(HttpMethod.PUT, proxy.verticle.inboundPort(), "/orders", 1024 * 1024);

        assertThat(reply).isEqualTo("200 got " + (FIRST_PART + 1024 * 1024));
    }

    @Test
    void aRetriableRequestPastTheRetryBufferStreamsIsTriedOnceAndIsCounted() throws Exception {
        var reply = sendInTwoParts(HttpMethod.PUT, proxy.verticle.outboundPort(), "/fail", 1024);

        assertThat(reply).startsWith("503 ");
        assertThat(orders.hits).hasValue(1);
        assertThat(proxy.admin("/metrics").body()).contains("meshlog_proxy_retry_buffer_overflow_total 1.0");
    }

    @Test
    void aRetriableRequestWithinTheRetryBufferIsHeldAndRetried() throws Exception {
        var request = ProxyHarness.await(client.request(new RequestOptions().setMethod(HttpMethod.PUT)
                .setPort(proxy.verticle.outboundPort()).setHost("127.0.0.1").setURI("/fail")
                .putHeader("host", "orders")));
        var status = ProxyHarness.await(request.send(Buffer.buffer(new byte[LIMIT]))
                .compose(r -> r.body().map(body -> r.statusCode())));

        assertThat(status).isEqualTo(503);
        assertThat(orders.hits).hasValue(3);
        assertThat(received.get()).isEqualTo(3L * LIMIT);
        assertThat(proxy.admin("/metrics").body()).contains("meshlog_proxy_retry_buffer_overflow_total 0.0");
    }
}
