package io.meshlog.proxy.it;

import io.meshlog.proxy.runtime.ProxyRuntime;
import io.meshlog.proxy.runtime.ProxyVerticle;
import io.meshlog.proxy.bootstrap.StaticEndpointDirectory;
import io.meshlog.proxy.bootstrap.BootstrapLoader;
import io.meshlog.proxy.policy.PolicyState;
import io.meshlog.proxy.ratelimit.GlobalRateCounter;
import io.meshlog.proxy.ratelimit.InMemoryGlobalRateCounter;
import io.meshlog.proxy.tracing.RequestTracer;
import io.meshlog.schemas.v1.PolicyEvent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real proxy (static bootstrap text, in-memory telemetry) and a JDK HTTP client that calls
 * through its outbound listener with the destination in the Host header.
 */
final class ProxyHarness implements AutoCloseable {
    static {
        // the JDK client refuses to set Host unless told; the outbound listener routes on it
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }


    final Vertx vertx = Vertx.vertx();
    final InMemoryTelemetrySink telemetry = new InMemoryTelemetrySink();
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicLong versions = new AtomicLong(1);
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    ProxyRuntime runtime;
    ProxyVerticle verticle;

    /** A reply as the client saw it. */
    record Reply(int status, HttpHeaders headers, String body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    TestUpstream upstream(String name) throws Exception {
        return new TestUpstream(vertx, name);
    }

    /** Starts the proxy from bootstrap YAML. */
    ProxyHarness start(String bootstrapYaml, Clock clock) throws Exception {
        return start(bootstrapYaml, clock, new InMemoryGlobalRateCounter(clock, Duration.ofSeconds(1)));
    }

    /** Starts the proxy from bootstrap YAML, sharing global rate limits through {@code globalCounter}. */
    ProxyHarness start(String bootstrapYaml, Clock clock, GlobalRateCounter globalCounter) throws Exception {
        var bootstrap = BootstrapLoader.parse(bootstrapYaml, "test-bootstrap");
        runtime = new ProxyRuntime(bootstrap.proxy(), new StaticEndpointDirectory(bootstrap.endpoints()), telemetry,
                RequestTracer.NOOP, registry, clock, globalCounter);
        apply(bootstrap.policies());
        verticle = new ProxyVerticle(runtime);
        await(vertx.deployVerticle(verticle));
        return this;
    }

    /** Gives the running proxy a new PolicyState holding exactly {@code policies} (policy documents). */
    void applyPolicies(String policiesYaml) throws Exception {
        apply(BootstrapLoader.policies(policiesYaml, "test-policies"));
    }

    private void apply(List<PolicyEvent> events) {
        var map = new HashMap<String, PolicyEvent>();
        events.forEach(e -> map.put(PolicyState.keyOf(e), e));
        runtime.policyUpdates().accept(new PolicyState(map, versions.getAndIncrement()));
    }

    CompletableFuture<Reply> send(String method, int port, String host, String path, Map<String, String> headers, String body) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (host != null) {
            request.header("Host", host);
        }
        headers.forEach(request::header);
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Reply(r.statusCode(), r.headers(), r.body()));
    }

    Reply get(String host, String path, Map<String, String> headers) throws Exception {
        return send("GET", verticle.outboundPort(), host, path, headers, null).get(20, TimeUnit.SECONDS);
    }

    Reply get(String host, String path) throws Exception {
        return get(host, path, Map.of());
    }

    Reply post(String host, String path, String body) throws Exception {
        return send("POST", verticle.outboundPort(), host, path, Map.of(), body).get(20, TimeUnit.SECONDS);
    }

    Reply admin(String path) throws Exception {
        return send("GET", verticle.adminPort(), null, path, Map.of(), null).get(20, TimeUnit.SECONDS);
    }

    /** Sends {@code count} GETs, {@code concurrency} at a time, and returns every reply. */
    /** The admin page's {@code /clusters} entry of {@code service}. */
    JsonObject cluster(String service) throws Exception {
        var clusters = new JsonObject(admin("/clusters").body()).getJsonArray("clusters");
        for (int i = 0; i < clusters.size(); i++) {
            if (service.equals(clusters.getJsonObject(i).getString("service"))) {
                return clusters.getJsonObject(i);
            }
        }
        throw new AssertionError("no cluster " + service + " in /clusters");
    }

    /** The endpoint of {@code workload} in {@code service}'s {@code /clusters} entry. */
    JsonObject clusterEndpoint(String service, String workload) throws Exception {
        var endpoints = cluster(service).getJsonArray("endpoints");
        for (int i = 0; i < endpoints.size(); i++) {
            if (workload.equals(endpoints.getJsonObject(i).getString("workload"))) {
                return endpoints.getJsonObject(i);
            }
        }
        throw new AssertionError("no endpoint " + workload + " in " + service);
    }

    List<Reply> getMany(String host, String path, Map<String, String> headers, int count, int concurrency) throws Exception {
        var replies = new ArrayList<Reply>();
        for (int sent = 0; sent < count; sent += concurrency) {
            var batch = new ArrayList<CompletableFuture<Reply>>();
            for (int i = 0; i < Math.min(concurrency, count - sent); i++) {
                batch.add(send("GET", verticle.outboundPort(), host, path, headers, null));
            }
            CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            batch.forEach(f -> replies.add(f.join()));
        }
        return replies;
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (runtime != null) {
            runtime.globalRateLimits().close();
        }
        await(vertx.close());
    }
}
