package io.meshlog.proxy.security;

import io.meshlog.proxy.authz.AuthorizationAudit;
import io.meshlog.proxy.authz.AuthorizationEvaluator;
import io.meshlog.proxy.config.ProxyConfig;
import io.meshlog.proxy.http.UpstreamSecurity;
import io.meshlog.proxy.identity.KeyCertMaterial;
import io.meshlog.proxy.identity.MeshTls;
import io.meshlog.proxy.inbound.InboundInterceptor;
import io.meshlog.proxy.policy.PolicyState;
import io.meshlog.schemas.v1.MtlsMode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zero trust for one proxy, optional: with it, the inbound listener serves mutual TLS with the
 * workload's certificate under the workload's PeerAuthentication (STRICT, PERMISSIVE: mTLS and
 * plaintext on the same port, detected per connection, DISABLE), the caller's verified SPIFFE id
 * becomes the source principal, AuthorizationPolicy decides, and the outbound client originates
 * mTLS to other proxies and checks their identity. Every new material (renewal, trust bundle) is
 * swapped in for new handshakes without touching open connections. Without it the proxy is
 * plaintext, as in static mode.
 *
 * <p>Made by {@code ProxyRuntime.enableSecurity(MaterialSource, rootNamespace)}; the verticle asks
 * it for {@link #upstream()}, {@link #inboundInterceptors()}, {@link #inboundOptions} and
 * {@link #secureInbound}; the admin page for {@link #certs()}.
 */
public final class TransportSecurity {
    private static final Logger LOGGER = LoggerFactory.getLogger(TransportSecurity.class);

    private final MaterialSource source;
    private final ProxyConfig config;
    private final Clock clock;
    private final SecurityMetrics metrics;
    private final PolicyView policies;
    private final UpstreamMtls upstream;
    private final List<InboundInterceptor> interceptors;
    private volatile KeyCertMaterial material;
    private volatile SslContext serverContext;

    /**
     * @param source where the key, certificate and trust bundle come from
     * @param rootNamespace the namespace whose selector-less policies are mesh-wide
     * @param config this proxy (namespace and labels select policies; the inbound app port is the
     *     port PeerAuthentication {@code portLevelMtls} and AuthorizationPolicy {@code ports} name)
     * @param policies the current policy state
     * @param registry where the security meters go
     * @param clock for the certificate's time left
     */
    public TransportSecurity(MaterialSource source, String rootNamespace, ProxyConfig config,
            Supplier<PolicyState> policies, MeterRegistry registry, Clock clock) {
        if (rootNamespace == null || rootNamespace.isBlank()) {
            throw new IllegalArgumentException("security.rootNamespace: must be set, e.g. meshlog-system");
        }
        this.source = source;
        this.config = config;
        this.clock = clock;
        this.metrics = new SecurityMetrics(registry);
        int port = config.inbound() != null ? config.inbound().appPort() : 0;
        this.policies = new PolicyView(policies, rootNamespace, config.namespace(), config.labels(), port);
        this.upstream = new UpstreamMtls(() -> material, metrics);
        this.interceptors = List.of(
                new PeerIdentityInterceptor(this.policies, () -> material != null ? material.spiffeId().uri() : ""),
                new AuthzInterceptor(this.policies, new AuthorizationEvaluator(rootNamespace),
                        new AuthorizationAudit(registry), config.namespace(), config.labels(), port));
        Gauge.builder("meshlog.proxy.certificate.time.left", this,
                        s -> s.material != null ? s.material.timeLeft(clock).toMillis() / 1000.0 : Double.NaN)
                .description("Seconds until the workload certificate expires").baseUnit("seconds").register(registry);
        source.onMaterial(this::apply);
        source.current().ifPresent(this::apply);
    }

    private synchronized void apply(KeyCertMaterial next) {
        if (next == material) {
            return;
        }
        SslContext context;
        try {
            context = MeshTls.serverContext(next);
        } catch (IllegalArgumentException e) {
            LOGGER.atError().addKeyValue("proxyId", config.proxyId()).addKeyValue("serial", next.serial())
                    .addKeyValue("error", e.getMessage()).log("new certificate not applied; keeping the current one");
            return;
        }
        serverContext = context;
        material = next;
        upstream.swap(next);
        LOGGER.atInfo().addKeyValue("proxyId", config.proxyId()).addKeyValue("spiffeId", next.spiffeId().uri())
                .addKeyValue("serial", next.serial()).addKeyValue("notAfter", next.notAfter())
                .addKeyValue("trustBundleVersion", next.trustBundleVersion()).log("certificate applied to listeners");
    }

    /** True once a certificate is applied (readiness waits for it). */
    public boolean ready() {
        return material != null;
    }

    /** The material the listeners use now. */
    public Optional<KeyCertMaterial> material() {
        return Optional.ofNullable(material);
    }

    /** The PeerAuthentication mode of the inbound port under the current policies. */
    public MtlsMode inboundMode() {
        return policies.current().mtls();
    }

    /** For the {@code UpstreamClient}: mTLS to mesh endpoints, with the server identity check. */
    public UpstreamSecurity upstream() {
        return upstream;
    }

    /** Peer identity, then authorization: run first on the inbound chain. */
    public List<InboundInterceptor> inboundInterceptors() {
        return interceptors;
    }

    /**
     * The inbound listener's options: HTTP/1.1 (plaintext or TLS) without h2c, since the h2c
     * preface detector would read the first bytes before the transport is known.
     */
    public HttpServerOptions inboundOptions(HttpServerOptions options) {
        return options.setHttp2ClearTextEnabled(false).setSsl(false);
    }

    /**
     * Puts the transport sniffer first on every connection of {@code server} (before any byte is
     * read): PeerAuthentication per connection, TLS terminated with the current certificate.
     */
    public HttpServer secureInbound(HttpServer server) {
        return server.connectionHandler(this::secureConnection);
    }

    /** Puts the transport sniffer first on one new inbound connection (closes what it cannot secure). */
    public void secureConnection(io.vertx.core.http.HttpConnection connection) {
        var pipeline = io.meshlog.proxy.listener.VertxHttp1Pipeline.pipeline(connection).orElse(null);
        if (pipeline != null) {
            pipeline.addFirst(TransportSniffer.NAME, new TransportSniffer(this::inboundMode, () -> serverContext, metrics));
        } else {
            LOGGER.atError().addKeyValue("connection", connection.getClass().getName())
                    .log("cannot secure an inbound connection of this kind: closing it");
            connection.close();
        }
    }

    /** The admin {@code /certs} page; a {@code state} when there is no certificate yet. */
    public JsonObject certs() {
        var current = material;
        return current == null ? new JsonObject().put("state", "waiting for the workload certificate")
                : CertsView.render(current, clock);
    }
}
