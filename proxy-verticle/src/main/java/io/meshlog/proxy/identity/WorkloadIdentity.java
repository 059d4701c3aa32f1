package io.meshlog.proxy.identity;

import io.meshlog.proxy.config.SidecarKafkaClients;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.v1.AnchorRole;
import io.meshlog.schemas.v1.CertificateRejected;
import io.meshlog.schemas.v1.CertificateRequest;
import io.meshlog.schemas.v1.IssuedCertificate;
import io.meshlog.schemas.v1.TrustBundle;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This proxy's workload identity. It makes an EC P-256 key pair in memory, sends a CSR with its
 * SPIFFE id and join-token proof on {@code mesh.cert.requests.v1}, and waits for its answer on the
 * issued/rejected topics; it follows the trust bundle on {@code mesh.trust.v1}. The current
 * {@link KeyCertMaterial} goes to listeners on every change (new certificate, new bundle).
 *
 * <p>Renewal: at half the certificate's lifetime, minus up to {@code renewalJitter} of it, with a
 * new key pair each time; at once (with a little jitter) when the bundle shows the certificate's
 * root is no longer CURRENT (CA rotation), and again when the answer to a request sent before the
 * switch arrives after the new bundle (once per bundle, so a lagging CA cannot make it loop). If
 * cert-service does not answer or refuses, the current certificate stays and the request is
 * retried with exponential backoff; each failure is logged at WARN, and at ERROR once less than a
 * quarter of the lifetime is left or it has expired.
 *
 * <p>Threads: one Kafka consumer thread, and one scheduler thread that owns all state; listeners
 * run on the scheduler thread. The private key is never logged, never sent.
 */
public final class WorkloadIdentity implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(WorkloadIdentity.class);

    private final IdentityConfig config;
    private final ScheduledExecutorService scheduler;
    private final KafkaProducer<String, byte[]> producer;
    private final CertificateTopicsConsumer topics;
    private final List<Consumer<KeyCertMaterial>> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<KeyCertMaterial> ready = new CompletableFuture<>();

    // state, owned by the scheduler thread
    private Pending pending;
    private Issued issued;
    private TrustBundle bundle;
    private int failures;
    private long rotationRenewalVersion = -1;
    private ScheduledFuture<?> nextAttempt;
    private volatile KeyCertMaterial current;

    private record Pending(String requestId, KeyPair keys, ScheduledFuture<?> timeout) {}

    private record Issued(KeyPair keys, IssuedCertificate certificate, List<X509Certificate> chain) {}

    public WorkloadIdentity(IdentityConfig config) {
        this.config = config;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "identity-" + config.proxyId());
            t.setDaemon(true);
            return t;
        });
        var producerConfig = SidecarKafkaClients.settings(config.kafka());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        this.topics = new CertificateTopicsConsumer(config.kafka(), config.topics(), config.proxyId(),
                config.spiffeId().trustDomain(),
                issued -> scheduler.execute(() -> onIssued(issued)),
                rejected -> scheduler.execute(() -> onRejected(rejected)),
                trust -> scheduler.execute(() -> onTrust(trust)));
    }

    /**
     * Starts obtaining a certificate. The future completes with the first material (certificate
     * and trust bundle both known), or fails with {@link IdentityRejectedException} when
     * cert-service refuses the first request (retries continue in the background).
     */
    public CompletableFuture<KeyCertMaterial> start() {
        topics.start();
        topics.assigned().whenComplete((ok, error) -> {
            if (error != null) {
                ready.completeExceptionally(error);
            } else {
                scheduler.execute(this::request);
            }
        });
        return ready;
    }

    /** The current material, once there is one. */
    public Optional<KeyCertMaterial> current() {
        return Optional.ofNullable(current);
    }

    /** Tells {@code listener} every new material (on the identity thread); it must not block. */
    public void onMaterial(Consumer<KeyCertMaterial> listener) {
        listeners.add(listener);
    }

    /** Asks for a new certificate now (an operator action, or a test). */
    public void renewNow() {
        scheduler.execute(() -> {
            if (pending == null) {
                request();
            }
        });
    }

    private void request() {
        cancelNextAttempt();
        var keys = newKeyPair();
        var csr = CsrBuilder.build(keys, config.spiffeId().uri());
        var requestId = UUID.randomUUID().toString();
        var event = CertificateRequest.newBuilder()
                .setRequestId(requestId)
                .setProxyId(config.proxyId())
                .setSpiffeId(config.spiffeId().uri())
                .setCsrPem(csr.pem())
                .setJoinTokenClaims(JoinTokenProof.claims(config.joinToken()))
                .setJoinTokenProof(JoinTokenProof.proof(config.joinToken(), csr.der()))
                .setRequestedAt(config.clock().instant())
                .build();
        var topic = config.topics().certRequests().name();
        var timeout = scheduler.schedule(() -> onTimeout(requestId),
                config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        pending = new Pending(requestId, keys, timeout);
        producer.send(new ProducerRecord<>(topic, config.proxyId(),
                MeshSerdes.certificateRequest().serialize(topic, event)), (metadata, error) -> {
                    if (error != null) {
                        scheduler.execute(() -> failed(requestId, "cannot send the certificate request: "
                                + error.getMessage()));
                    }
                });
        LOGGER.atInfo().addKeyValue("proxyId", config.proxyId())
                .addKeyValue("spiffeId", config.spiffeId().uri())
                .addKeyValue("requestId", requestId)
                .log("certificate requested");
    }

    private void onIssued(IssuedCertificate certificate) {
        if (pending == null || !pending.requestId().equals(certificate.getRequestId())) {
            return;
        }
        var keys = pending.keys();
        List<X509Certificate> chain;
        try {
            chain = KeyCertMaterial.parse(certificate.getChainPem());
        } catch (IllegalArgumentException e) {
            failed(certificate.getRequestId(), "cert-service sent an unreadable chain: " + e.getMessage());
            return;
        }
        if (!chain.get(0).getPublicKey().equals(keys.getPublic())) {
            failed(certificate.getRequestId(), "the issued certificate is not for this proxy's key");
            return;
        }
        pending.timeout().cancel(false);
        pending = null;
        failures = 0;
        issued = new Issued(keys, certificate, chain);
        LOGGER.atInfo().addKeyValue("proxyId", config.proxyId())
                .addKeyValue("spiffeId", certificate.getSpiffeId())
                .addKeyValue("serial", certificate.getSerial())
                .addKeyValue("notAfter", certificate.getNotAfter())
                .log("certificate received");
        if (bundle != null && bundle.getVersion() != rotationRenewalVersion && !chainsToCurrentRoot()) {
            renewUnderCurrentRoot("certificate issued under a root that is no longer CURRENT: renewing");
        } else {
            scheduleRenewal();
        }
        publish();
    }

    private void onRejected(CertificateRejected rejected) {
        if (pending == null || !pending.requestId().equals(rejected.getRequestId())) {
            return;
        }
        LOGGER.atError().addKeyValue("proxyId", config.proxyId())
                .addKeyValue("spiffeId", rejected.getSpiffeId())
                .addKeyValue("reason", rejected.getReason())
                .log("cert-service refused the certificate request: " + rejected.getMessage());
        if (issued == null) {
            ready.completeExceptionally(new IdentityRejectedException(rejected.getReason(), rejected.getMessage()));
        }
        failed(rejected.getRequestId(), "refused: " + rejected.getReason());
    }

    private void onTrust(TrustBundle next) {
        if (bundle != null && next.getVersion() <= bundle.getVersion()) {
            return;
        }
        bundle = next;
        LOGGER.atInfo().addKeyValue("proxyId", config.proxyId())
                .addKeyValue("version", next.getVersion())
                .addKeyValue("anchors", next.getAnchors().size())
                .addKeyValue("revoked", next.getRevokedSerials().size())
                .log("trust bundle applied");
        if (issued != null && pending == null && !chainsToCurrentRoot()) {
            renewUnderCurrentRoot("certificate chains to a root that is no longer CURRENT: renewing");
        }
        publish();
    }

    /** Renews within a little jitter, once for the current bundle. */
    private void renewUnderCurrentRoot(String why) {
        rotationRenewalVersion = bundle.getVersion();
        var lifetime = Duration.between(Instant.now(config.clock()), issued.certificate().getNotAfter());
        long spread = Math.max(1, Math.min(2_000, lifetime.toMillis() / 4));
        LOGGER.atInfo().addKeyValue("proxyId", config.proxyId()).log(why);
        scheduleAttempt(ThreadLocalRandom.current().nextLong(spread));
    }

    private boolean chainsToCurrentRoot() {
        var top = issued.chain().get(issued.chain().size() - 1);
        for (var anchor : bundle.getAnchors()) {
            if (anchor.getRole() != AnchorRole.CURRENT) {
                continue;
            }
            for (var root : KeyCertMaterial.parse(anchor.getCertificatePem())) {
                if (top.equals(root) || signedBy(top, root)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private void onTimeout(String requestId) {
        failed(requestId, "no answer from cert-service within " + config.requestTimeout());
    }

    private void failed(String requestId, String why) {
        if (pending == null || !pending.requestId().equals(requestId)) {
            return;
        }
        pending.timeout().cancel(false);
        pending = null;
        failures++;
        long backoff = Math.min(config.maxBackoff().toMillis(),
                config.minBackoff().toMillis() << Math.min(failures - 1, 20));
        backoff = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        warnAboutExpiry(why, backoff);
        scheduleAttempt(backoff);
    }

    private void warnAboutExpiry(String why, long retryInMillis) {
        var event = LOGGER.atWarn();
        if (issued != null) {
            var cert = issued.certificate();
            var left = Duration.between(config.clock().instant(), cert.getNotAfter());
            var lifetime = Duration.between(cert.getNotBefore(), cert.getNotAfter());
            if (left.isNegative() || left.compareTo(lifetime.dividedBy(4)) < 0) {
                event = LOGGER.atError();
            }
            event = event.addKeyValue("serial", cert.getSerial()).addKeyValue("timeLeft", left)
                    .addKeyValue("notAfter", cert.getNotAfter());
        }
        event.addKeyValue("proxyId", config.proxyId())
                .addKeyValue("spiffeId", config.spiffeId().uri())
                .addKeyValue("attempt", failures)
                .addKeyValue("retryInMillis", retryInMillis)
                .addKeyValue("error", why)
                .log(issued == null ? "no certificate yet; keeps trying"
                        : "certificate renewal failed; keeping the current certificate");
    }

    private void scheduleRenewal() {
        var cert = issued.certificate();
        var now = config.clock().instant();
        var left = Duration.between(now, cert.getNotAfter()).toMillis();
        var jitter = (long) (left / 2.0 * config.renewalJitter() * ThreadLocalRandom.current().nextDouble());
        scheduleAttempt(Math.max(0, left / 2 - jitter));
    }

    private void scheduleAttempt(long delayMillis) {
        cancelNextAttempt();
        nextAttempt = scheduler.schedule(() -> {
            if (pending == null) {
                request();
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void cancelNextAttempt() {
        if (nextAttempt != null) {
            nextAttempt.cancel(false);
            nextAttempt = null;
        }
    }

    private void publish() {
        if (issued == null || bundle == null) {
            return;
        }
        var anchors = new ArrayList<String>();
        bundle.getAnchors().forEach(a -> anchors.add(a.getCertificatePem()));
        var cert = issued.certificate();
        var material = new KeyCertMaterial(config.spiffeId(), privateKeyPem(issued.keys()),
                cert.getChainPem(), anchors, new java.util.HashSet<>(bundle.getRevokedSerials()),
                cert.getSerial(), cert.getNotBefore(), cert.getNotAfter(), bundle.getVersion());
        current = material;
        for (var listener : listeners) {
            try {
                listener.accept(material);
            } catch (RuntimeException e) {
                LOGGER.atError().setCause(e).addKeyValue("proxyId", config.proxyId())
                        .addKeyValue("error", e.getMessage()).log("certificate listener failed");
            }
        }
        ready.complete(material);
    }

    private static String privateKeyPem(KeyPair keys) {
        var base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
    }

    private static KeyPair newKeyPair() {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make an EC P-256 key pair", e);
        }
    }

    @Override
    public void close() {
        topics.close();
        scheduler.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }
}
