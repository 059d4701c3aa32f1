package io.meshlog.proxy.http;

import io.meshlog.proxy.resilience.AttemptFailure;
import io.meshlog.proxy.resilience.Cluster;
import io.meshlog.proxy.resilience.EndpointState;
import io.meshlog.proxy.resilience.Candidates;
import io.meshlog.proxy.resilience.PoolLimits;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends one try to one endpoint: enforces the circuit-breaker limits (503 UO at once on overflow),
 * measures pool wait / connect / TLS handshake / upstream time, applies the per-try timeout, caps requests per
 * connection, and hands back the response paused (or why there is none). One pooled Vert.x client
 * per distinct set of pool limits.
 */
public final class UpstreamClient implements AutoCloseable {
    private static final TimeoutException PER_TRY_TIMEOUT = new TimeoutException("per-try timeout");

    private final Vertx vertx;
    private final Map<PoolLimits, HttpClientAgent> clients = new ConcurrentHashMap<>();
    private final Map<PoolLimits, HttpClientAgent> mtlsClients = new ConcurrentHashMap<>();
    private final UpstreamSecurity security;
    private final Map<HttpConnection, AtomicInteger> connections = new ConcurrentHashMap<>();

    public UpstreamClient(Vertx vertx) {
        this(vertx, UpstreamSecurity.PLAINTEXT);
    }

    /** @param security plaintext, or mTLS to mesh endpoints with a check of the server's identity */
    public UpstreamClient(Vertx vertx, UpstreamSecurity security) {
        this.vertx = vertx;
        this.security = security;
    }

    /**
     * Runs try {@code number} of {@code ctx} against {@code endpoint}, under the pool limits and
     * breaker of {@code destination} (the service or subset routed to); the future never fails.
     */
    public Future<UpstreamAttempt> send(RequestContext ctx, Cluster cluster, Candidates destination, EndpointState endpoint,
            int number, RequestBody body, long perTryTimeoutMillis) {
        var attempt = new UpstreamAttempt(number, endpoint, System.nanoTime());
        var limits = destination.traffic().pool();
        var breaker = destination.breaker();
        if (ctx.observe()) {
            if (!breaker.startUnlimited(limits)) {
                ctx.wouldHave(io.meshlog.schemas.v1.WouldHave.OVERFLOW);
            }
        } else if (!breaker.tryStartRequest(limits)) {
            attempt.failure = AttemptFailure.OVERFLOW;
            return Future.succeededFuture(attempt);
        } else if (!breaker.tryStartPending(limits)) {
            breaker.finishRequest();
            attempt.failure = AttemptFailure.OVERFLOW;
            return Future.succeededFuture(attempt);
        }
        endpoint.started();
        attempt.onEnd(() -> {
            breaker.finishRequest();
            endpoint.finished(attempt.failure != AttemptFailure.NONE || attempt.status() >= 500);
        });
        var promise = Promise.<UpstreamAttempt>promise();
        var options = new RequestOptions().setMethod(HttpMethod.valueOf(ctx.method))
                .setHost(endpoint.endpoint().host()).setPort(endpoint.endpoint().port()).setURI(ctx.uri)
                .setConnectTimeout(limits.connectTimeout().toMillis());
        boolean mtls = security.originatesMtls(endpoint.endpoint());
        var client = mtls ? mtlsClient(limits) : client(limits);
        if (client == null) {
            breaker.finishPending();
            return refused(ctx, attempt, "TLS error: no workload certificate yet");
        }
        client.request(options).onComplete(acquired -> {
            breaker.finishPending();
            if (acquired.failed()) {
                attempt.failure = FailureMapper.classify(acquired.cause());
                if (acquired.cause() instanceof javax.net.ssl.SSLException tls) {
                    ctx.transportFailure("TLS error: " + tls.getMessage());
                }
                attempt.end();
                promise.complete(attempt);
                return;
            }
            var refusal = mtls ? security.verifyServer(acquired.result().connection(), cluster, endpoint) : null;
            if (refusal != null) {
                // never send a request to a server that is not who the destination may be
                acquired.result().connection().close();
                promise.complete(refused(ctx, attempt, refusal).result());
                return;
            }
            attempt.mtls = mtls;
            send(ctx, attempt, limits, acquired.result(), body, perTryTimeoutMillis, promise);
        });
        return promise.future();
    }

    private void send(RequestContext ctx, UpstreamAttempt attempt, PoolLimits limits, io.vertx.core.http.HttpClientRequest request,
            RequestBody body, long perTryTimeoutMillis, Promise<UpstreamAttempt> promise) {
        long now = System.nanoTime();
        attempt.request = request;
        attempt.acquiredNanos = now;
        var connection = request.connection();
        var uses = connections.get(connection);
        if (uses == null) {
            long established = now - attempt.startNanos;
            attempt.tlsHandshakeNanos = attempt.mtls ? TlsHandshakeTime.of(connection, established) : 0;
            attempt.connectNanos = established - attempt.tlsHandshakeNanos;
            uses = new AtomicInteger();
            connections.put(connection, uses);
            connection.closeHandler(v -> connections.remove(connection));
        } else {
            attempt.poolWaitNanos = now - attempt.startNanos;
        }
        var source = ctx.request;
        HopByHopHeaders.copy(source.headers(), request.headers());
        var authority = ctx.authority != null ? ctx.authority : source.authority();
        if (authority != null) {
            request.authority(authority);
        }
        request.putHeader(RequestIds.HEADER, ctx.requestId);
        if (ctx.span != null) {
            ctx.span.inject(request::putHeader);
        }
        if (limits.maxRequestsPerConnection() > 0 && uses.incrementAndGet() >= limits.maxRequestsPerConnection()) {
            request.putHeader("connection", "close");
        }
        long timer = perTryTimeoutMillis > 0 ? vertx.setTimer(perTryTimeoutMillis, id -> {
            if (attempt.response == null) {
                attempt.failure = AttemptFailure.TIMEOUT;
                request.reset(0, PER_TRY_TIMEOUT);
            }
        }) : -1;
        body.sendOn(request).onComplete(result -> {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            if (result.failed()) {
                if (attempt.failure == AttemptFailure.NONE) {
                    attempt.failure = FailureMapper.classify(result.cause());
                }
                body.abandon();
                attempt.end();
            } else {
                var response = result.result();
                response.pause();
                attempt.response = response;
                attempt.headersNanos = System.nanoTime();
            }
            promise.tryComplete(attempt);
        });
    }

    private static Future<UpstreamAttempt> refused(RequestContext ctx, UpstreamAttempt attempt, String why) {
        ctx.transportFailure(why);
        attempt.failure = AttemptFailure.CONNECT_FAILURE;
        attempt.end();
        return Future.succeededFuture(attempt);
    }

    private HttpClientAgent mtlsClient(PoolLimits limits) {
        var client = mtlsClients.get(limits);
        return client != null ? client : mtlsClients.computeIfAbsent(limits,
                key -> security.mtlsClient(vertx, options(key), pool(key)));
    }

    private HttpClientAgent client(PoolLimits limits) {
        var client = clients.get(limits);
        return client != null ? client : clients.computeIfAbsent(limits, this::create);
    }

    private HttpClientAgent create(PoolLimits limits) {
        return vertx.httpClientBuilder().with(options(limits)).with(pool(limits)).build();
    }

    private static HttpClientOptions options(PoolLimits limits) {
        return new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, limits.connectTimeout().toMillis()))
                .setKeepAliveTimeout((int) limits.idleTimeout().toSeconds());
    }

    private static PoolOptions pool(PoolLimits limits) {
        return new PoolOptions().setHttp1MaxSize(limits.maxConnections()).setHttp2MaxSize(limits.maxConnections())
                .setMaxWaitQueueSize(-1);
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClientAgent::close);
        clients.clear();
        mtlsClients.values().forEach(HttpClientAgent::close);
        mtlsClients.clear();
    }
}
