package io.meshlog.cert.it;

import static io.meshlog.cert.it.SecureProxies.endpoint;
import static io.meshlog.cert.it.SecureProxies.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlog.cert.keystore.Pem;
import io.meshlog.cert.trust.Anchor;
import io.meshlog.proxy.identity.IdentityConfig;
import io.meshlog.proxy.identity.KeyCertMaterial;
import io.meshlog.proxy.identity.MeshTls;
import io.meshlog.proxy.identity.SpiffeId;
import io.meshlog.proxy.identity.WorkloadIdentity;
import io.meshlog.proxy.security.MaterialSource;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.schemas.v1.AnchorRole;
import io.meshlog.schemas.v1.IssuedCertificate;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CA rotation through real proxies under load: a real cert-service on the shared broker, three
 * proxies (ProxyVerticle with transport security) whose certificates come over Kafka, two callers
 * sending requests without pause through mTLS to the server proxy in front of a real Vert.x app,
 * while the root goes prepare, activate, retire. No request may fail; afterwards every proxy holds
 * a certificate of the new root and a client certificate of the old root is refused.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CaRotationThroughProxiesIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final SpiffeId ORDERS = MeshFixture.id("default", "order-service");
    private static final SpiffeId GATEWAY = MeshFixture.id("default", "api-gateway");
    private static final SpiffeId INVENTORY = MeshFixture.id("default", "inventory");
    private static final Pattern XFCC_HASH = Pattern.compile("Hash=([0-9a-f]{64})");

    @TempDir
    Path stateDir;

    @Test
    void caRotationCompletesThroughTheProxiesUnderLoadWithoutAFailedRequestAndTheOldRootIsRefusedAfter(
            SharedKafka kafka) throws Exception {
        try (var mesh = new MeshFixture(kafka, stateDir, Duration.ofHours(24)); var proxies = new SecureProxies()) {
            var ordersIdentity = started(mesh, "orders-1", ORDERS);
            var gatewayIdentity = started(mesh, "gateway-1", GATEWAY);
            var inventoryIdentity = started(mesh, "inventory-1", INVENTORY);
            var oldGateway = gatewayIdentity.current().orElseThrow();
            var app = proxies.app();
            var orders = proxies.server("order-service", MaterialSource.of(ordersIdentity), app.actualPort());
            var endpoints = List.of(endpoint("order-service", orders, ORDERS.uri()));
            var gateway = proxies.caller("api-gateway", MaterialSource.of(gatewayIdentity), endpoints);
            // a few requests per connection: new handshakes all through the rotation
            gateway.policies("""
                    {"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule", "metadata": {"name": "order-service"},
                     "spec": {"host": "order-service", "trafficPolicy": {"connectionPool": {"http": {"maxRequestsPerConnection": 4}}}}}""");
            // pooled connections as they come: open connections outlive the rotation
            var inventory = proxies.caller("inventory", MaterialSource.of(inventoryIdentity), endpoints);
            var all = Map.of("order-service", orders, "api-gateway", gateway, "inventory", inventory);
            var rotation = mesh.certService.rotation();
            var oldRoot = mesh.certService.authority().signingCa().root();
            var gatewayLoad = new Load(gateway, GATEWAY);
            var inventoryLoad = new Load(inventory, INVENTORY);
            var loads = List.of(gatewayLoad, inventoryLoad);
            loads.forEach(Load::start);
            try {
                awaitRequests(loads, 20);

                rotation.prepare();
                var newRoot = role(rotation.anchors(), AnchorRole.NEXT);
                await("every proxy trusts the old and the next root").atMost(TIMEOUT)
                        .until(() -> all.values().stream().allMatch(p -> anchorsOf(p).equals(Set.of(oldRoot, newRoot))));
                awaitRequests(loads, 20);

                rotation.activate();
                await("every proxy re-issued under the new root").atMost(TIMEOUT)
                        .until(() -> all.values().stream().allMatch(p -> signedBy(applied(p), newRoot)));
                awaitRequests(loads, 20);
                var oldClientWhileRetiring = get(oldRootClient(proxies, oldGateway, newRoot), orders);

                rotation.retire();
                await("every proxy trusts only the new root").atMost(TIMEOUT)
                        .until(() -> all.values().stream().allMatch(p -> anchorsOf(p).equals(Set.of(newRoot))));
                gatewayLoad.hashes.clear();
                awaitRequests(loads, 50);
                Thread.sleep(2_000); // and a few seconds more of load on the new root alone
                awaitRequests(loads, 20);
                loads.forEach(Load::stop);

                for (var load : loads) {
                    assertThat(load.failures.get()).as("failed requests of %s, first: %s", load.caller,
                            load.firstFailure.get()).isZero();
                    assertThat(load.successes.get()).as("requests of %s", load.caller).isGreaterThan(100);
                }
                all.forEach((name, proxy) -> {
                    var material = applied(proxy);
                    assertThat(signedBy(material, newRoot)).as("%s's certificate %s is from the new root",
                            name, material.serial()).isTrue();
                    assertThat(signedBy(material, oldRoot)).as("%s's certificate is from the old root", name)
                            .isFalse();
                    assertThat(material.trustAnchors()).as("%s trusts", name).containsExactly(newRoot);
                });
                assertThat(gatewayLoad.hashes).as("client certificates the server proxy verified after retire")
                        .contains(sha256(applied(gateway).chain().get(0)))
                        .doesNotContain(sha256(oldGateway.chain().get(0)));

                assertThat(oldClientWhileRetiring).as("the old root's client while it was RETIRING")
                        .contains("URI=" + GATEWAY.uri());
                assertThat(samples(orders.metrics(), "meshlog_proxy_inbound_connections_total"))
                        .as("no handshake failed during the rotation")
                        .noneSatisfy(l -> assertThat(l).contains("outcome=\"handshake_failed\""));
                var oldClientAfterRetire = oldRootClient(proxies, oldGateway, newRoot)
                        .request(HttpMethod.GET, orders.verticle.inboundPort(), "127.0.0.1", "/orders")
                        .compose(request -> request.send().compose(HttpClientResponse::body));
                assertThat(oldClientAfterRetire.toCompletionStage().toCompletableFuture())
                        .as("a fresh handshake with the old root's client certificate").failsWithin(TIMEOUT);
                await("refused by the server proxy's handshake").atMost(TIMEOUT).untilAsserted(() ->
                        assertThat(samples(orders.metrics(), "meshlog_proxy_inbound_connections_total"))
                                .anySatisfy(l -> assertThat(l).contains("outcome=\"handshake_failed\"")));
                assertThat(get(newRootClient(proxies, applied(gateway)), orders))
                        .as("the same fresh client with the new certificate").contains("URI=" + GATEWAY.uri());
            } finally {
                for (var load : loads) {
                    load.stop();
                    load.thread.join(20_000);
                }
            }
        }
    }

    /**
     * The race between a renewal and {@code activate()}: cert-service signs a proxy's renewal with
     * the old root, then switches; the CURRENT(new) bundle reaches the proxy while that answer is
     * still on its way (issued and trust are separate topics). The proxy must renew again under the
     * new root, not keep an old-root certificate until half its lifetime (12 h here), long after
     * {@code retire()} has made it untrusted. A link between proxy and cert-service holds the answer.
     */
    @Test
    void aRenewalSignedByTheOldRootThatArrivesAfterActivateIsRenewedAgainUnderTheNewRoot(SharedKafka kafka)
            throws Exception {
        try (var mesh = new MeshFixture(kafka, stateDir, Duration.ofHours(24));
                var link = new DelayingLink(kafka, mesh.topics, new TopicCatalogue(kafka.uniquePrefix()));
                var identity = new WorkloadIdentity(new IdentityConfig("orders-1", ORDERS, mesh.token(ORDERS),
                        link.proxySide, Map.of("bootstrap.servers", kafka.bootstrapServers()),
                        Duration.ofSeconds(10), Duration.ofMillis(200), Duration.ofSeconds(2),
                        IdentityConfig.DEFAULT_RENEWAL_JITTER, null))) {
            identity.start().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            var rotation = mesh.certService.rotation();
            var oldRoot = mesh.certService.authority().signingCa().root();
            var first = identity.current().orElseThrow();

            link.holdIssued();
            identity.renewNow();
            await("cert-service answered the renewal").atMost(TIMEOUT).until(() -> link.held().size() == 1);
            rotation.prepare();
            rotation.activate();
            var newRoot = mesh.certService.authority().signingCa().root();
            await("the proxy has the CURRENT(new) bundle while its renewal is pending").atMost(TIMEOUT)
                    .until(() -> identity.current().orElseThrow().trustAnchors().contains(newRoot)
                            && identity.current().orElseThrow().trustAnchorPems().size() == 2);
            var late = link.held().get(0);
            assertThat(Pem.certificates(late.getChainPem(), "held answer").get(0).getIssuerX500Principal())
                    .as("the held answer is signed by the old root").isEqualTo(oldRoot.getSubjectX500Principal());
            link.release();

            await("the proxy applied the late old-root answer").atMost(TIMEOUT)
                    .until(() -> !identity.current().orElseThrow().serial().equals(first.serial()));
            await("the proxy renewed again under the new root").atMost(Duration.ofSeconds(8))
                    .until(() -> signedBy(identity.current().orElseThrow(), newRoot));
            rotation.retire();
            await().atMost(TIMEOUT).until(() -> identity.current().orElseThrow().trustAnchorPems().size() == 1);
            assertThat(signedBy(identity.current().orElseThrow(), newRoot)).isTrue();
        }
    }

    /** Sequential calls through one caller proxy on its own thread; counts and keeps what the app saw. */
    private static final class Load {
        final String caller;
        final AtomicLong successes = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicReference<String> firstFailure = new AtomicReference<>();
        /** SHA-256 of the client certificates the server proxy verified (from x-forwarded-client-cert). */
        final Set<String> hashes = ConcurrentHashMap.newKeySet();
        final Thread thread;
        private volatile boolean stopped;

        Load(SecureProxies.Proxy proxy, SpiffeId caller) {
            this.caller = caller.serviceAccount();
            this.thread = new Thread(() -> {
                while (!stopped) {
                    try {
                        var reply = proxy.call("order-service", "/orders", Map.of());
                        var hash = XFCC_HASH.matcher(reply.body());
                        if (reply.statusCode() == 200 && reply.body().contains(";URI=" + caller.uri()) && hash.find()) {
                            hashes.add(hash.group(1));
                            successes.incrementAndGet();
                        } else {
                            fail(reply.statusCode() + " " + reply.headers().map() + " " + reply.body());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        fail(String.valueOf(e));
                    }
                }
            }, "load-" + this.caller);
        }

        private void fail(String what) {
            failures.incrementAndGet();
            firstFailure.compareAndSet(null, what);
        }

        void start() {
            thread.start();
        }

        void stop() {
            stopped = true;
        }
    }

    /**
     * The Kafka path between a proxy (its own topic prefix) and cert-service: copies requests one
     * way and answers and bundles the other, record by record, on its own thread; while held, the
     * issued certificates wait until {@link #release()}.
     */
    private static final class DelayingLink implements AutoCloseable {
        final TopicCatalogue proxySide;
        private final TopicCatalogue certSide;
        private final KafkaConsumer<String, byte[]> consumer;
        private final KafkaProducer<String, byte[]> producer;
        private final List<ProducerRecord<String, byte[]>> waiting = new ArrayList<>();
        private final List<IssuedCertificate> heldView = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean hold;
        private volatile boolean closed;

        DelayingLink(SharedKafka kafka, TopicCatalogue certSide, TopicCatalogue proxySide) {
            this.certSide = certSide;
            this.proxySide = proxySide;
            new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(List.of(proxySide.certRequests(),
                    proxySide.certIssued(), proxySide.certRejected(), proxySide.trust()));
            this.consumer = new KafkaConsumer<>(kafka.consumerConfig("link-" + proxySide.certRequests().name()),
                    new StringDeserializer(), new ByteArrayDeserializer());
            this.producer = new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(),
                    new ByteArraySerializer());
            var partitions = new ArrayList<TopicPartition>();
            for (var topic : List.of(proxySide.certRequests(), certSide.certIssued(), certSide.certRejected(),
                    certSide.trust())) {
                consumer.partitionsFor(topic.name(), TIMEOUT)
                        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            this.thread = new Thread(this::run, "link-" + proxySide.certRequests().name());
            thread.start();
        }

        private void run() {
            while (!closed) {
                for (var record : consumer.poll(Duration.ofMillis(50))) {
                    var to = target(record.topic());
                    var copy = new ProducerRecord<>(to, record.key(), record.value());
                    if (hold && to.equals(proxySide.certIssued().name())) {
                        waiting.add(copy);
                        heldView.add(MeshSerdes.issuedCertificate().deserialize(record.topic(), record.value()));
                    } else {
                        send(copy);
                    }
                }
                if (!hold && !waiting.isEmpty()) {
                    waiting.forEach(this::send);
                    waiting.clear();
                }
            }
        }

        private String target(String topic) {
            if (topic.equals(proxySide.certRequests().name())) {
                return certSide.certRequests().name();
            } else if (topic.equals(certSide.certIssued().name())) {
                return proxySide.certIssued().name();
            } else if (topic.equals(certSide.certRejected().name())) {
                return proxySide.certRejected().name();
            }
            return proxySide.trust().name();
        }

        private void send(ProducerRecord<String, byte[]> record) {
            try {
                producer.send(record).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("link cannot copy to " + record.topic() + ": " + e.getMessage(), e);
            }
        }

        void holdIssued() {
            hold = true;
        }

        /** The issued certificates held back so far. */
        List<IssuedCertificate> held() {
            return heldView;
        }

        void release() {
            hold = false;
        }

        @Override
        public void close() throws Exception {
            closed = true;
            thread.join(10_000);
            consumer.close();
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Waits until every load has made {@code count} more successful requests (or failed one). */
    private static void awaitRequests(List<Load> loads, long count) {
        var targets = new ArrayList<Long>();
        loads.forEach(l -> targets.add(l.successes.get() + count));
        await().atMost(TIMEOUT).until(() -> {
            for (int i = 0; i < loads.size(); i++) {
                var load = loads.get(i);
                if (load.failures.get() == 0 && load.successes.get() < targets.get(i)) {
                    return false;
                }
            }
            return true;
        });
    }

    private static X509Certificate role(List<Anchor> anchors, AnchorRole role) {
        return anchors.stream().filter(a -> a.role() == role).findFirst().orElseThrow().certificate();
    }

    /** The material the proxy's listeners use now. */
    private static KeyCertMaterial applied(SecureProxies.Proxy proxy) {
        return proxy.runtime.security().orElseThrow().material().orElseThrow();
    }

    private static Set<X509Certificate> anchorsOf(SecureProxies.Proxy proxy) {
        return Set.copyOf(applied(proxy).trustAnchors());
    }

    private static boolean signedBy(KeyCertMaterial material, X509Certificate root) {
        try {
            material.chain().get(0).verify(root.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * A client presenting {@code oldMaterial}'s certificate (old root) and trusting only {@code
     * newRoot}: any refusal is the server's, not the client's.
     */
    private static HttpClientAgent oldRootClient(SecureProxies proxies, KeyCertMaterial oldMaterial,
            X509Certificate newRoot) {
        var trust = new PemTrustOptions().addCertValue(Buffer.buffer(Pem.encode(newRoot)));
        var ssl = new ClientSSLOptions().setKeyCertOptions(MeshTls.keyCert(oldMaterial)).setTrustOptions(trust)
                .setHostnameVerificationAlgorithm("");
        return proxies.vertx.createHttpClient(MeshTls.applyTo(new HttpClientOptions().setKeepAlive(false), ssl));
    }

    private static HttpClientAgent newRootClient(SecureProxies proxies, KeyCertMaterial material) {
        return proxies.vertx.createHttpClient(MeshTls.applyTo(new HttpClientOptions().setKeepAlive(false),
                MeshTls.clientOptions(material)));
    }

    /** GET /orders straight to the server proxy's inbound listener (mTLS, a fresh connection). */
    private static String get(HttpClientAgent client, SecureProxies.Proxy server) throws Exception {
        return SecureProxies.await(client.request(HttpMethod.GET, server.verticle.inboundPort(), "127.0.0.1", "/orders")
                .compose(request -> request.send().compose(HttpClientResponse::body)).map(Buffer::toString));
    }

    private static String sha256(X509Certificate certificate) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    private static WorkloadIdentity started(MeshFixture mesh, String proxyId, SpiffeId id) throws Exception {
        var identity = mesh.identity(proxyId, id, mesh.token(id));
        identity.start().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return identity;
    }
}
