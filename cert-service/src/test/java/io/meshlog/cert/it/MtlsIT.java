package io.meshlog.cert.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlog.cert.ca.CaCertificates;
import io.meshlog.cert.keystore.Pem;
import io.meshlog.proxy.identity.KeyCertMaterial;
import io.meshlog.proxy.identity.MeshTls;
import io.meshlog.proxy.identity.PeerIdentity;
import io.meshlog.proxy.identity.SpiffeId;
import io.meshlog.proxy.identity.WorkloadIdentity;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Real mTLS between two Vert.x endpoints whose certificates come from cert-service over Kafka. */
@ExtendWith(KafkaBrokerExtension.class)
class MtlsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final SpiffeId ORDERS = MeshFixture.id("default", "order-service");
    private static final SpiffeId GATEWAY = MeshFixture.id("default", "api-gateway");

    @TempDir
    Path stateDir;

    private Vertx vertx;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** An mTLS server that answers with the client's SPIFFE id and hot-swaps on every new material. */
    private final class Server {
        final HttpServer server;
        final AtomicReference<KeyCertMaterial> applied = new AtomicReference<>();
        final Set<String> clientSerials = ConcurrentHashMap.newKeySet();

        Server(WorkloadIdentity identity) throws Exception {
            var material = identity.current().orElseThrow();
            var options = MeshTls.applyTo(new HttpServerOptions().setHost("127.0.0.1").setPort(0),
                    MeshTls.serverOptions(material, ClientAuth.REQUIRED));
            server = vertx.createHttpServer(options).requestHandler(request -> {
                var peer = PeerIdentity.of(request.connection());
                peer.ifPresent(p -> clientSerials.add(p.serial()));
                request.response().end(peer.map(p -> p.spiffeId().uri()).orElse("plaintext"));
            });
            join(server.listen());
            applied.set(material);
            identity.onMaterial(m -> MeshTls.hotSwap(server, m, ClientAuth.REQUIRED).onSuccess(ok -> applied.set(m)));
            identity.current().ifPresent(m -> MeshTls.hotSwap(server, m, ClientAuth.REQUIRED)
                    .onSuccess(ok -> applied.set(m)));
        }

        int port() {
            return server.actualPort();
        }
    }

    /** A client with the identity's material, hot-swapped on every new material. */
    private final class Client {
        final HttpClientAgent agent;
        final AtomicReference<KeyCertMaterial> applied = new AtomicReference<>();
        final Set<String> serverSerials = ConcurrentHashMap.newKeySet();

        Client(WorkloadIdentity identity, boolean keepAlive) {
            var material = identity.current().orElseThrow();
            agent = vertx.createHttpClient(MeshTls.applyTo(new HttpClientOptions().setKeepAlive(keepAlive),
                    MeshTls.clientOptions(material)));
            applied.set(material);
            identity.onMaterial(m -> MeshTls.hotSwap(agent, m).onSuccess(ok -> applied.set(m)));
        }

        /** GET / on {@code port}: the server's answer, after checking the server's identity. */
        String get(int port, SpiffeId expectedServer) throws Exception {
            return join(agent.request(HttpMethod.GET, port, "127.0.0.1", "/").compose(request -> request.send()
                    .compose(response -> {
                        var server = PeerIdentity.of(request.connection()).orElseThrow();
                        serverSerials.add(server.serial());
                        if (!server.spiffeId().equals(expectedServer)) {
                            return Future.failedFuture("server is " + server.spiffeId());
                        }
                        return response.body().map(Buffer::toString);
                    })));
        }
    }

    @Test
    void twoProxiesTalkMtlsAndTheServerSeesTheClientsSpiffeId(SharedKafka kafka) throws Exception {
        try (var mesh = new MeshFixture(kafka, stateDir, Duration.ofHours(24))) {
            var orders = started(mesh, "orders-1", ORDERS);
            var gateway = started(mesh, "gateway-1", GATEWAY);
            var server = new Server(orders);

            var answer = new Client(gateway, true).get(server.port(), ORDERS);

            assertThat(answer).isEqualTo(GATEWAY.uri());
        }
    }

    @Test
    void clientsWithAForeignCaAnExpiredOrARevokedCertificateAreRefused(SharedKafka kafka) throws Exception {
        try (var mesh = new MeshFixture(kafka, stateDir, Duration.ofHours(24))) {
            var orders = started(mesh, "orders-1", ORDERS);
            var gateway = started(mesh, "gateway-1", GATEWAY);
            var reportingId = MeshFixture.id("default", "reporting");
            var reporting = started(mesh, "reporting-1", reportingId);
            var server = new Server(orders);
            var trust = gateway.current().orElseThrow();

            var foreignRoot = CaCertificates.newRoot(MeshFixture.TRUST_DOMAIN, "foreign", Clock.systemUTC());
            var foreignKeys = ecKeys();
            var foreignLeaf = CaCertificates.leaf(foreignRoot, foreignKeys.getPublic(), GATEWAY.uri(),
                    Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600));
            var expiredKeys = ecKeys();
            var expired = mesh.certService.authority().issue(expiredKeys.getPublic(), GATEWAY.uri(),
                    Instant.now().minus(Duration.ofHours(2)), Instant.now().minus(Duration.ofHours(1)));
            var revokedMaterial = reporting.current().orElseThrow();
            mesh.certService.trust().revokeSerial(revokedMaterial.serial());
            await().atMost(TIMEOUT).until(() -> server.applied.get().revokedSerials().contains(revokedMaterial.serial()));

            assertRefused(rawClient(foreignKeys, Pem.encode(foreignLeaf), trust), server.port());
            assertRefused(rawClient(expiredKeys, Pem.encode(expired.chain()), trust), server.port());
            var revokedClient = vertx.createHttpClient(MeshTls.applyTo(new HttpClientOptions(),
                    MeshTls.clientOptions(revokedMaterial)));
            assertRefused(revokedClient, server.port());
            assertThat(new Client(gateway, false).get(server.port(), ORDERS))
                    .as("a valid mesh client is still served").isEqualTo(GATEWAY.uri());
        }
    }

    @Test
    void tenSecondCertificatesRotateAtLeastFiveTimesUnderLoadWithoutAFailedRequest(SharedKafka kafka)
            throws Exception {
        try (var mesh = new MeshFixture(kafka, stateDir, Duration.ofSeconds(10))) {
            var orders = started(mesh, "orders-1", ORDERS);
            var gateway = started(mesh, "gateway-1", GATEWAY);
            var server = new Server(orders);
            var fresh = new Client(gateway, false);
            var pooled = new Client(gateway, true);

            var load = new Load(() -> {
                assertThat(fresh.get(server.port(), ORDERS)).isEqualTo(GATEWAY.uri());
                assertThat(pooled.get(server.port(), ORDERS)).isEqualTo(GATEWAY.uri());
            });
            load.runUntil(() -> server.clientSerials.size() >= 6 && fresh.serverSerials.size() >= 6,
                    Duration.ofSeconds(40));

            assertThat(load.failures.get()).as("failed requests, first: %s", load.firstFailure.get()).isZero();
            assertThat(server.clientSerials).as("client certificates seen by the server").hasSizeGreaterThanOrEqualTo(6);
            assertThat(fresh.serverSerials).as("server certificates seen by the client").hasSizeGreaterThanOrEqualTo(6);
            assertThat(load.successes.get()).isGreaterThan(50);
        }
    }

    @Test
    void caRotationCompletesUnderLoadWithoutAFailedRequest(SharedKafka kafka) throws Exception {
        try (var mesh = new MeshFixture(kafka, stateDir, Duration.ofHours(24))) {
            var orders = started(mesh, "orders-1", ORDERS);
            var gateway = started(mesh, "gateway-1", GATEWAY);
            var server = new Server(orders);
            var fresh = new Client(gateway, false);
            var oldRoot = mesh.certService.authority().signingCa().root();
            var load = new Load(() -> assertThat(fresh.get(server.port(), ORDERS)).isEqualTo(GATEWAY.uri()));
            var thread = new Thread(() -> load.runUntil(() -> false, Duration.ofSeconds(60)), "load");
            thread.start();
            try {
                mesh.certService.rotation().prepare();
                await().atMost(TIMEOUT).until(() -> anchors(server.applied) == 2 && anchors(fresh.applied) == 2);
                mesh.certService.rotation().activate();
                var newRoot = mesh.certService.authority().signingCa().root();
                await().atMost(TIMEOUT).until(() -> issuedBy(server.applied, newRoot) && issuedBy(fresh.applied, newRoot));
                mesh.certService.rotation().retire();
                await().atMost(TIMEOUT).until(() -> anchors(server.applied) == 1 && anchors(fresh.applied) == 1);
                long after = load.successes.get();
                await().atMost(TIMEOUT).until(() -> load.successes.get() > after + 20);

                assertThat(server.applied.get().trustAnchors()).containsExactly(newRoot).doesNotContain(oldRoot);
            } finally {
                load.stop();
                thread.join(10_000);
            }
            assertThat(load.failures.get()).as("failed requests, first: %s", load.firstFailure.get()).isZero();
            assertThat(load.successes.get()).isGreaterThan(20);
        }
    }

    private static int anchors(AtomicReference<KeyCertMaterial> applied) {
        return applied.get().trustAnchorPems().size();
    }

    private static boolean issuedBy(AtomicReference<KeyCertMaterial> applied, java.security.cert.X509Certificate root) {
        try {
            applied.get().chain().get(0).verify(root.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Sequential requests until a condition, a deadline or stop(); counts successes and failures. */
    private static final class Load {
        final AtomicLong successes = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicReference<String> firstFailure = new AtomicReference<>();
        private final ThrowingRunnable request;
        private volatile boolean stopped;

        Load(ThrowingRunnable request) {
            this.request = request;
        }

        void runUntil(java.util.function.BooleanSupplier done, Duration max) {
            long deadline = System.nanoTime() + max.toNanos();
            while (!stopped && !done.getAsBoolean() && System.nanoTime() < deadline) {
                try {
                    request.run();
                    successes.incrementAndGet();
                } catch (Throwable e) {
                    failures.incrementAndGet();
                    firstFailure.compareAndSet(null, String.valueOf(e));
                }
            }
        }

        void stop() {
            stopped = true;
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private WorkloadIdentity started(MeshFixture mesh, String proxyId, SpiffeId id) throws Exception {
        var identity = mesh.identity(proxyId, id, mesh.token(id));
        identity.start().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return identity;
    }

    private HttpClientAgent rawClient(KeyPair keys, String chainPem, KeyCertMaterial trustFrom) {
        var ssl = new ClientSSLOptions()
                .setKeyCertOptions(new PemKeyCertOptions().setKeyValue(Buffer.buffer(Pem.encode(keys.getPrivate())))
                        .setCertValue(Buffer.buffer(chainPem)))
                .setTrustOptions(MeshTls.trust(trustFrom))
                .setHostnameVerificationAlgorithm("");
        return vertx.createHttpClient(MeshTls.applyTo(new HttpClientOptions(), ssl));
    }

    private static void assertRefused(HttpClientAgent client, int port) {
        var result = client.request(HttpMethod.GET, port, "127.0.0.1", "/")
                .compose(request -> request.send().compose(response -> response.body()));
        assertThat(result.toCompletionStage().toCompletableFuture()).failsWithin(TIMEOUT);
    }

    private static KeyPair ecKeys() throws Exception {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static <T> T join(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
