package io.meshlog.cert.it;

import static io.meshlog.cert.it.SecureProxies.endpoint;
import static io.meshlog.cert.it.SecureProxies.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.meshlog.proxy.identity.KeyCertMaterial;
import io.meshlog.proxy.identity.MeshTls;
import io.meshlog.proxy.identity.SpiffeId;
import io.meshlog.proxy.identity.WorkloadIdentity;
import io.meshlog.proxy.security.MaterialFeed;
import io.meshlog.proxy.security.MaterialSource;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Mutual TLS, PeerAuthentication and AuthorizationPolicy on the proxies' live request path: real
 * proxies (ProxyVerticle with transport security), real TLS handshakes, certificates from the real
 * cert-service over Kafka or from its CA code in memory.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ProxySecurityIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final SpiffeId ORDERS = MeshFixture.id("default", "order-service");
    private static final SpiffeId GATEWAY = MeshFixture.id("default", "api-gateway");
    private static final SpiffeId INVENTORY = MeshFixture.id("default", "inventory");
    private static final SpiffeId REPORTING = MeshFixture.id("default", "reporting");
    private static final Pattern XFCC_HASH = Pattern.compile("Hash=([0-9a-f]{64})");

    @TempDir
    Path stateDir;

    @Test
    void twoProxiesGetCertificatesThroughKafkaAndTheAppSeesTheCallersIdentityButNoSecretLeaks(SharedKafka kafka)
            throws Exception {
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        var root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var meshlog = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.meshlog");
        root.addAppender(appender);
        meshlog.setLevel(Level.DEBUG);
        try (var mesh = new MeshFixture(kafka, stateDir, Duration.ofHours(24)); var proxies = new SecureProxies()) {
            var ordersToken = mesh.token(ORDERS);
            var gatewayToken = mesh.token(GATEWAY);
            var ordersIdentity = mesh.identity("orders-1", ORDERS, ordersToken);
            var gatewayIdentity = mesh.identity("gateway-1", GATEWAY, gatewayToken);
            var app = proxies.app();
            var orders = proxies.server("order-service", MaterialSource.of(ordersIdentity), app.actualPort());
            assertThat(orders.admin("/ready").statusCode()).as("not ready before its certificate").isEqualTo(503);
            ordersIdentity.start().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            gatewayIdentity.start().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            var gateway = proxies.caller("api-gateway", MaterialSource.of(gatewayIdentity),
                    List.of(endpoint("order-service", orders, ORDERS.uri())));
            await().atMost(TIMEOUT).until(() -> orders.admin("/ready").statusCode() == 200);

            var reply = gateway.call("order-service", "/orders/1", Map.of(
                    "x-forwarded-client-cert", "URI=spiffe://cluster.local/ns/default/sa/admin",
                    "x-meshlog-source-principal", "spiffe://cluster.local/ns/default/sa/admin"));

            assertThat(reply.statusCode()).isEqualTo(200);
            assertThat(reply.body()).as("what the app received")
                    .contains("xfcc=By=" + ORDERS.uri() + ";Hash=")
                    .contains(";URI=" + GATEWAY.uri())
                    .contains("forged=null")
                    .doesNotContain("sa/admin");
            assertThat(samples(orders.metrics(), "istio_requests_total"))
                    .anySatisfy(l -> assertThat(l).contains("connection_security_policy=\"mutual_tls\"")
                            .contains("response_code=\"200\"").contains("reporter=\"destination\"")
                            .contains("source_principal=\"" + GATEWAY.uri() + "\"")
                            .contains("source_workload_namespace=\"" + GATEWAY.namespace() + "\"")
                            .contains("destination_principal=\"" + ORDERS.uri() + "\""));
            var certs = orders.admin("/certs");
            var material = ordersIdentity.current().orElseThrow();
            assertThat(certs.statusCode()).isEqualTo(200);
            assertThat(certs.body()).contains(ORDERS.uri()).contains(material.serial()).contains("\"issuer\"")
                    .contains("\"notBefore\"").contains("\"notAfter\"").contains("\"timeLeft\"").contains("\"sha256\"")
                    .doesNotContain("PRIVATE KEY").doesNotContain("BEGIN");

            var secrets = List.of("PRIVATE KEY", ordersToken, gatewayToken, signature(ordersToken),
                    signature(gatewayToken), body(material.privateKeyPem()),
                    body(gatewayIdentity.current().orElseThrow().privateKeyPem()));
            var logText = new StringBuilder();
            for (var event : List.copyOf(appender.list)) {
                logText.append(event.getFormattedMessage()).append(' ').append(event.getKeyValuePairs()).append('\n');
                if (event.getThrowableProxy() != null) {
                    logText.append(event.getThrowableProxy().getMessage()).append('\n');
                }
            }
            var topicText = new StringBuilder();
            for (var topic : List.of(mesh.topics.certRequests(), mesh.topics.certIssued(), mesh.topics.trust())) {
                for (var record : CertServiceIT.readAll(mesh, topic.name())) {
                    topicText.append(new String(record.value(), StandardCharsets.ISO_8859_1)).append('\n');
                }
            }
            var adminText = certs.body() + orders.admin("/config_dump").body() + orders.metrics();
            assertThat(logText).as("log lines were captured").contains("certificate applied to listeners");
            for (var secret : secrets) {
                assertThat(logText.toString()).as("logs").doesNotContain(secret);
                assertThat(topicText.toString()).as("topics").doesNotContain(secret);
                assertThat(adminText).as("admin pages").doesNotContain(secret);
            }
        } finally {
            root.detachAppender(appender);
            meshlog.setLevel(null);
        }
    }

    @Test
    void permissiveAcceptsMtlsAndPlaintextOnOnePortAndStrictOrDisableRefuseTheOther() throws Exception {
        var ca = TestMaterial.root("mesh");
        try (var proxies = new SecureProxies()) {
            var large = "x".repeat(64 * 1024);
            var app = SecureProxies.await(proxies.vertx.createHttpServer().requestHandler(request -> {
                if (request.path().equals("/stream")) {
                    var response = request.response().setChunked(true);
                    for (int i = 0; i < 32; i++) {
                        response.write(large); // 2 MiB in chunks, relayed while it is produced
                    }
                    response.end();
                } else {
                    request.response().end("hello");
                }
            }).listen(0, "127.0.0.1"));
            var orders = proxies.server("order-service", new MaterialFeed(TestMaterial.issue(ca, ORDERS, ca)),
                    app.actualPort());
            var port = orders.verticle.inboundPort();
            var mtls = mtlsClient(proxies, TestMaterial.issue(ca, GATEWAY, ca));
            var plaintext = proxies.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));

            assertThat(get(mtls, port, "/")).isEqualTo("hello");
            assertThat(get(plaintext, port, "/")).isEqualTo("hello");
            assertThat(get(mtls, port, "/stream")).hasSize(32 * large.length());
            var permissive = orders.metrics();
            assertThat(samples(permissive, "istio_requests_total"))
                    .anySatisfy(l -> assertThat(l).contains("connection_security_policy=\"mutual_tls\""))
                    .anySatisfy(l -> assertThat(l).contains("connection_security_policy=\"none\""));

            orders.policies(peerAuthentication("STRICT"));
            var strictMtls = mtlsClient(proxies, TestMaterial.issue(ca, GATEWAY, ca));

            assertRefused(plaintext, port);
            assertThat(get(strictMtls, port, "/")).isEqualTo("hello");
            assertThat(samples(orders.metrics(), "meshlog_proxy_inbound_connections_total"))
                    .anySatisfy(l -> assertThat(l).contains("mode=\"STRICT\"").contains("outcome=\"refused\"")
                            .contains("transport=\"plaintext\""));

            orders.policies(peerAuthentication("DISABLE"));

            assertRefused(mtlsClient(proxies, TestMaterial.issue(ca, GATEWAY, ca)), port);
            assertThat(get(plaintext, port, "/")).isEqualTo("hello");
        }
    }

    @Test
    void clientsWithAForeignCaAnExpiredOrARevokedCertificateAreRefusedByTheInboundListener() throws Exception {
        var ca = TestMaterial.root("mesh");
        var foreign = TestMaterial.root("foreign");
        try (var proxies = new SecureProxies()) {
            var app = proxies.app();
            var feed = new MaterialFeed(TestMaterial.issue(ca, ORDERS, ca));
            var orders = proxies.server("order-service", feed, app.actualPort());
            orders.policies(peerAuthentication("STRICT"));
            var port = orders.verticle.inboundPort();
            var revoked = TestMaterial.issue(ca, REPORTING, ca);
            var expired = TestMaterial.issue(ca, GATEWAY, ca, Instant.now().minus(Duration.ofHours(2)),
                    Instant.now().minus(Duration.ofHours(1)), Set.of());

            feed.publish(TestMaterial.revoking(feed.current().orElseThrow(), Set.of(revoked.serial())));

            assertRefused(mtlsClient(proxies, TestMaterial.issue(foreign, GATEWAY, ca)), port);
            assertRefused(mtlsClient(proxies, expired), port);
            assertRefused(mtlsClient(proxies, revoked), port);
            assertThat(get(mtlsClient(proxies, TestMaterial.issue(ca, GATEWAY, ca)), port, "/"))
                    .as("a valid mesh client is still served").contains("URI=" + GATEWAY.uri());
            assertThat(samples(orders.metrics(), "meshlog_proxy_inbound_connections_total"))
                    .anySatisfy(l -> assertThat(l).contains("outcome=\"handshake_failed\"").endsWith(" 3.0"));
        }
    }

    @Test
    void orderServiceAcceptsOnlyApiGatewayAndInventoryDeniesByDefaultAndDryRunOnlyCounts() throws Exception {
        var ca = TestMaterial.root("mesh");
        try (var proxies = new SecureProxies()) {
            var app = proxies.app();
            var orders = proxies.server("order-service", new MaterialFeed(TestMaterial.issue(ca, ORDERS, ca)),
                    app.actualPort());
            orders.policies(ordersAllow(false));
            var endpoints = List.of(endpoint("order-service", orders, ORDERS.uri()));
            var gateway = proxies.caller("api-gateway", new MaterialFeed(TestMaterial.issue(ca, GATEWAY, ca)), endpoints);
            var inventory = proxies.caller("inventory", new MaterialFeed(TestMaterial.issue(ca, INVENTORY, ca)), endpoints);
            var reporting = proxies.caller("reporting", new MaterialFeed(TestMaterial.issue(ca, REPORTING, ca)), endpoints);
            var plaintext = proxies.vertx.createHttpClient();

            var fromGateway = gateway.call("order-service", "/orders", Map.of());
            var fromInventory = inventory.call("order-service", "/orders", Map.of());
            var fromReporting = reporting.call("order-service", "/orders", Map.of(
                    "x-forwarded-client-cert", "URI=" + GATEWAY.uri()));
            var fromPlaintext = SecureProxies.await(plaintext.request(HttpMethod.GET, orders.verticle.inboundPort(),
                    "127.0.0.1", "/orders").compose(r -> r.send()).compose(r -> r.body().map(b -> r.statusCode())));

            assertThat(fromGateway.statusCode()).isEqualTo(200);
            assertThat(fromInventory.statusCode()).isEqualTo(200);
            assertThat(fromReporting.statusCode()).isEqualTo(403);
            assertThat(fromReporting.body()).isEqualTo("RBAC: access denied");
            assertThat(fromReporting.headers().firstValue("x-response-flags")).hasValue("UAEX");
            assertThat(fromPlaintext).as("deny by default: a plaintext caller has no principal").isEqualTo(403);
            var scrape = orders.metrics();
            assertThat(samples(scrape, "istio_requests_total"))
                    .anySatisfy(l -> assertThat(l).contains("response_code=\"403\"").contains("response_flags=\"UAEX\"")
                            .contains("connection_security_policy=\"mutual_tls\""));
            assertThat(samples(scrape, "meshlog_proxy_authz_denied_total")).singleElement()
                    .satisfies(l -> assertThat(l).endsWith(" 2.0"));

            orders.policies(ordersAllow(true));
            var dryRun = reporting.call("order-service", "/orders", Map.of());

            assertThat(dryRun.statusCode()).as("dry run never denies").isEqualTo(200);
            assertThat(samples(orders.metrics(), "meshlog_proxy_authz_dryrun_denied_total")).singleElement()
                    .satisfies(l -> assertThat(l).contains("policy=\"default/orders-callers\"").endsWith(" 1.0"));
        }
    }

    @Test
    void auditPoliciesLogAndCountTheRequestsTheyMatchAndNeverDenyEvenNextToADenyPolicy() throws Exception {
        var ca = TestMaterial.root("mesh");
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        var authzLog = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(io.meshlog.proxy.authz.AuthorizationAudit.class);
        authzLog.addAppender(appender);
        authzLog.setLevel(Level.INFO);
        try (var proxies = new SecureProxies()) {
            var app = proxies.app();
            var orders = proxies.server("order-service", new MaterialFeed(TestMaterial.issue(ca, ORDERS, ca)),
                    app.actualPort());
            var endpoints = List.of(endpoint("order-service", orders, ORDERS.uri()));
            var gateway = proxies.caller("api-gateway", new MaterialFeed(TestMaterial.issue(ca, GATEWAY, ca)), endpoints);
            var reporting = proxies.caller("reporting", new MaterialFeed(TestMaterial.issue(ca, REPORTING, ca)), endpoints);
            // Given: AUDIT of every POST to /orders; no ALLOW policy, so AUDIT alone must not turn on deny-by-default
            orders.policies(ordersAudit());

            // When
            var notAudited = gateway.call("order-service", "/orders", Map.of());
            var postAudited = gateway.post("order-service", "/orders").statusCode();
            var notMatched = gateway.call("order-service", "/health", Map.of());

            // Then
            assertThat(notAudited.statusCode()).as("GET is not audited and is allowed").isEqualTo(200);
            assertThat(postAudited).as("an audited request is allowed").isEqualTo(200);
            assertThat(notMatched.statusCode()).isEqualTo(200);
            assertThat(samples(orders.metrics(), "meshlog_proxy_authz_audited_total")).singleElement()
                    .satisfies(l -> assertThat(l).contains("policy=\"default/orders-audit\"").endsWith(" 1.0"));
            assertThat(appender.list).filteredOn(e -> e.getFormattedMessage().contains("AUDIT policy matched"))
                    .singleElement().satisfies(e -> assertThat(e.getKeyValuePairs().toString())
                            .contains("default/orders-audit").contains(GATEWAY.uri()).contains("allowed=\"true\""));

            // When: a DENY policy for the reporting caller joins the AUDIT policy
            orders.policies(ordersAudit(), """
                    {"apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy",
                     "metadata": {"namespace": "default", "name": "no-reporting"},
                     "spec": {"selector": {"matchLabels": {"app": "order-service"}}, "action": "DENY",
                      "rules": [{"from": [{"source": {"principals": ["cluster.local/ns/default/sa/reporting"]}}]}]}}""");
            var denied = reporting.post("order-service", "/orders").statusCode();
            var stillAllowed = gateway.post("order-service", "/orders").statusCode();

            // Then: DENY decides, AUDIT only records (both requests are audited)
            assertThat(denied).isEqualTo(403);
            assertThat(stillAllowed).isEqualTo(200);
            assertThat(samples(orders.metrics(), "meshlog_proxy_authz_audited_total")).singleElement()
                    .satisfies(l -> assertThat(l).endsWith(" 3.0"));
            assertThat(samples(orders.metrics(), "meshlog_proxy_authz_denied_total")).singleElement()
                    .satisfies(l -> assertThat(l).contains("policy=\"default/no-reporting\"").endsWith(" 1.0"));
            assertThat(appender.list).filteredOn(e -> e.getFormattedMessage().contains("AUDIT policy matched"))
                    .anySatisfy(e -> assertThat(e.getKeyValuePairs().toString()).contains(REPORTING.uri())
                            .contains("allowed=\"false\""));
        } finally {
            authzLog.detachAppender(appender);
            authzLog.setLevel(null);
        }
    }

    private static String ordersAudit() {
        return """
                {"apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy",
                 "metadata": {"namespace": "default", "name": "orders-audit"},
                 "spec": {"selector": {"matchLabels": {"app": "order-service"}}, "action": "AUDIT",
                  "rules": [{"to": [{"operation": {"methods": ["POST"], "paths": ["/orders"]}}]}]}}""";
    }

    @Test
    void outboundNeverSendsToAServerWhoseIdentityIsNotTheDestinations() throws Exception {
        var ca = TestMaterial.root("mesh");
        try (var proxies = new SecureProxies()) {
            var hits = new AtomicLong();
            var app = SecureProxies.await(proxies.vertx.createHttpServer()
                    .requestHandler(r -> r.response().end("hit " + hits.incrementAndGet())).listen(0, "127.0.0.1"));
            // the registry says order-service is ORDERS, but this listener presents REPORTING's certificate
            var impostor = proxies.server("order-service", new MaterialFeed(TestMaterial.issue(ca, REPORTING, ca)),
                    app.actualPort());
            var gateway = proxies.caller("api-gateway", new MaterialFeed(TestMaterial.issue(ca, GATEWAY, ca)),
                    List.of(endpoint("order-service", impostor, ORDERS.uri())));

            var reply = gateway.call("order-service", "/orders", Map.of());

            assertThat(reply.statusCode()).isEqualTo(503);
            assertThat(reply.headers().firstValue("x-response-flags")).hasValueSatisfying(flags ->
                    assertThat(flags.split(",")).as("connect failure, after the default retries").contains("UF"));
            assertThat(reply.headers().firstValue("x-upstream-transport-failure")).hasValueSatisfying(v ->
                    assertThat(v).contains(REPORTING.uri()).contains("not an identity of order-service"));
            assertThat(hits.get()).as("requests the impostor's app received").isZero();
            assertThat(samples(gateway.metrics(), "meshlog_proxy_upstream_identity_refused_total")).isNotEmpty();
        }
    }

    @Test
    void tenSecondCertificatesRotateAtLeastFiveTimesUnderLoadThroughTheProxiesWithoutAFailedRequest(
            SharedKafka kafka) throws Exception {
        try (var mesh = new MeshFixture(kafka, stateDir, Duration.ofSeconds(10)); var proxies = new SecureProxies()) {
            var ordersIdentity = started(mesh, "orders-1", ORDERS);
            var gatewayIdentity = started(mesh, "gateway-1", GATEWAY);
            var ordersSerials = serials(ordersIdentity);
            var gatewaySerials = serials(gatewayIdentity);
            var app = proxies.app();
            var orders = proxies.server("order-service", MaterialSource.of(ordersIdentity), app.actualPort());
            var gateway = proxies.caller("api-gateway", MaterialSource.of(gatewayIdentity),
                    List.of(endpoint("order-service", orders, ORDERS.uri())));
            // a few requests per connection: connections are both reused across renewals and made anew
            gateway.policies("""
                    {"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule", "metadata": {"name": "order-service"},
                     "spec": {"host": "order-service", "trafficPolicy": {"connectionPool": {"http": {"maxRequestsPerConnection": 4}}}}}""");
            var clientCerts = ConcurrentHashMap.<String>newKeySet();
            var failures = new AtomicLong();
            var successes = new AtomicLong();
            var firstFailure = new AtomicReference<String>();

            long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
            while (System.nanoTime() < deadline && !(clientCerts.size() >= 6 && ordersSerials.size() >= 6)) {
                try {
                    var reply = gateway.call("order-service", "/orders", Map.of());
                    var hash = XFCC_HASH.matcher(reply.body());
                    if (reply.statusCode() == 200 && hash.find()) {
                        clientCerts.add(hash.group(1));
                        successes.incrementAndGet();
                    } else {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, reply.statusCode() + " " + reply.body());
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                    firstFailure.compareAndSet(null, String.valueOf(e));
                }
            }

            assertThat(failures.get()).as("failed requests, first: %s", firstFailure.get()).isZero();
            assertThat(clientCerts).as("client certificates the server proxy verified").hasSizeGreaterThanOrEqualTo(6);
            assertThat(ordersSerials).as("server certificates").hasSizeGreaterThanOrEqualTo(6);
            assertThat(gatewaySerials).as("client certificates issued").hasSizeGreaterThanOrEqualTo(6);
            assertThat(successes.get()).isGreaterThan(100);
        }
    }

    private static Set<String> serials(WorkloadIdentity identity) {
        var serials = ConcurrentHashMap.<String>newKeySet();
        identity.current().ifPresent(m -> serials.add(m.serial()));
        identity.onMaterial(m -> serials.add(m.serial()));
        return serials;
    }

    private static WorkloadIdentity started(MeshFixture mesh, String proxyId, SpiffeId id) throws Exception {
        var identity = mesh.identity(proxyId, id, mesh.token(id));
        identity.start().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return identity;
    }

    private static String peerAuthentication(String mode) {
        return """
                {"apiVersion": "security.istio.io/v1", "kind": "PeerAuthentication",
                 "metadata": {"namespace": "default", "name": "orders"},
                 "spec": {"selector": {"matchLabels": {"app": "order-service"}}, "mtls": {"mode": "%s"}}}"""
                .formatted(mode);
    }

    private static String ordersAllow(boolean dryRun) {
        return """
                {"apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy",
                 "metadata": {"namespace": "default", "name": "orders-callers"},
                 "spec": {"selector": {"matchLabels": {"app": "order-service"}}, "action": "ALLOW", "dryRun": %s,
                  "rules": [{"from": [{"source": {"principals": [
                    "cluster.local/ns/default/sa/api-gateway", "cluster.local/ns/default/sa/inventory"]}}]}]}}"""
                .formatted(dryRun);
    }

    private static HttpClientAgent mtlsClient(SecureProxies proxies, KeyCertMaterial material) {
        return proxies.vertx.createHttpClient(MeshTls.applyTo(new HttpClientOptions().setKeepAlive(false),
                MeshTls.clientOptions(material)));
    }

    private static String get(HttpClientAgent client, int port, String path) throws Exception {
        return SecureProxies.await(client.request(HttpMethod.GET, port, "127.0.0.1", path)
                .compose(request -> request.send().compose(HttpClientResponse::body)).map(Buffer::toString));
    }

    private static void assertRefused(HttpClientAgent client, int port) {
        Future<Buffer> result = client.request(HttpMethod.GET, port, "127.0.0.1", "/")
                .compose(request -> request.send().compose(HttpClientResponse::body));
        assertThat(result.toCompletionStage().toCompletableFuture()).failsWithin(TIMEOUT);
    }

    private static String signature(String token) {
        return token.substring(token.indexOf('.') + 1);
    }

    private static String body(String pem) {
        return pem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    }
}
