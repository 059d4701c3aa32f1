package io.meshlog.cert.it;

import io.meshlog.proxy.runtime.ProxyRuntime;
import io.meshlog.proxy.runtime.ProxyVerticle;
import io.meshlog.proxy.bootstrap.StaticEndpointDirectory;
import io.meshlog.proxy.config.InboundListenerConfig;
import io.meshlog.proxy.config.ListenerConfig;
import io.meshlog.proxy.bootstrap.BootstrapLoader;
import io.meshlog.proxy.config.ProxyConfig;
import io.meshlog.proxy.config.TelemetryMode;
import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.proxy.policy.PolicyState;
import io.meshlog.proxy.security.MaterialSource;
import io.meshlog.proxy.telemetry.TelemetrySink;
import io.meshlog.proxy.tracing.RequestTracer;
import io.meshlog.schemas.v1.PolicyEvent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real proxies with transport security in one Vert.x, a local app that tells what it received,
 * and a JDK client calling through a proxy's outbound listener (destination in the Host header).
 */
final class SecureProxies implements AutoCloseable {
    static {
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    static final String ROOT_NAMESPACE = "meshlog-system";

    final Vertx vertx = Vertx.vertx();
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong versions = new AtomicLong(1);
    private final TelemetrySink telemetry;

    SecureProxies() {
        this(TelemetrySink.NONE);
    }

    /** @param telemetry where every proxy's telemetry events go */
    SecureProxies(TelemetrySink telemetry) {
        this.telemetry = telemetry;
    }

    /** One running proxy. */
    final class Proxy {
        final ProxyRuntime runtime;
        final ProxyVerticle verticle;

        Proxy(ProxyRuntime runtime, ProxyVerticle verticle) {
            this.runtime = runtime;
            this.verticle = verticle;
        }

        /** Replaces the proxy's policies with {@code documents} (policy documents, as for meshctl apply -f). */
        void policies(String... documents) throws Exception {
            var map = new HashMap<String, PolicyEvent>();
            for (var event : BootstrapLoader.policies(String.join("\n---\n", documents), "test-policies")) {
                map.put(PolicyState.keyOf(event), event);
            }
            runtime.policyUpdates().accept(new PolicyState(map, versions.getAndIncrement()));
        }

        HttpResponse<String> call(String host, String path, Map<String, String> headers) throws Exception {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + verticle.outboundPort() + path))
                    .header("Host", host).timeout(Duration.ofSeconds(15));
            headers.forEach(request::header);
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String host, String path) throws Exception {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + verticle.outboundPort() + path))
                    .header("Host", host).timeout(Duration.ofSeconds(15)).POST(HttpRequest.BodyPublishers.ofString("{}"));
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> admin(String path) throws Exception {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + verticle.adminPort() + path))
                    .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        }

        String metrics() throws Exception {
            return admin("/metrics").body();
        }
    }

    /** A caller: an outbound listener to {@code endpoints}, mTLS with {@code source}'s certificate. */
    Proxy caller(String workload, MaterialSource source, List<Endpoint> endpoints) throws Exception {
        var config = new ProxyConfig(workload + "-proxy", workload, "default", Map.of("app", workload),
                new ListenerConfig("127.0.0.1", 0), null, new ListenerConfig("127.0.0.1", 0), TelemetryMode.NONE);
        return start(config, source, endpoints);
    }

    /** A server: an inbound listener in front of the app on {@code appPort}. */
    Proxy server(String workload, MaterialSource source, int appPort) throws Exception {
        var config = new ProxyConfig(workload + "-proxy", workload, "default", Map.of("app", workload), null,
                new InboundListenerConfig(new ListenerConfig("127.0.0.1", 0), "127.0.0.1", appPort, Duration.ZERO),
                new ListenerConfig("127.0.0.1", 0), TelemetryMode.NONE);
        return start(config, source, List.of());
    }

    private Proxy start(ProxyConfig config, MaterialSource source, List<Endpoint> endpoints) throws Exception {
        var runtime = new ProxyRuntime(config, new StaticEndpointDirectory(endpoints), telemetry,
                RequestTracer.NOOP, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
        runtime.policyUpdates().accept(new PolicyState(Map.of(), versions.getAndIncrement()));
        runtime.enableSecurity(source, ROOT_NAMESPACE);
        var verticle = new ProxyVerticle(runtime);
        await(vertx.deployVerticle(verticle));
        return new Proxy(runtime, verticle);
    }

    /**
     * The local app: answers 200 with what identifies the caller in the request it received
     * ({@code x-forwarded-client-cert} and a header a client tried to forge).
     */
    HttpServer app() throws Exception {
        return await(vertx.createHttpServer().requestHandler(request -> request.body().onComplete(b ->
                request.response().end("xfcc=" + request.getHeader("x-forwarded-client-cert")
                        + "\nforged=" + request.getHeader("x-meshlog-source-principal"))))
                .listen(0, "127.0.0.1"));
    }

    /** An endpoint of {@code service} at {@code proxy}'s inbound listener, expected to be {@code spiffeId}. */
    static Endpoint endpoint(String service, Proxy proxy, String spiffeId) {
        return new Endpoint(service, "127.0.0.1", proxy.verticle.inboundPort(), Map.of("app", service), service,
                spiffeId);
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** Lines of a Prometheus scrape that are samples of {@code metric}. */
    static List<String> samples(String scrape, String metric) {
        var lines = new ArrayList<String>();
        scrape.lines().filter(l -> l.startsWith(metric + "{")).forEach(lines::add);
        return lines;
    }

    @Override
    public void close() throws Exception {
        await(vertx.close());
    }
}
