package io.meshlog.cert;

import io.meshlog.cert.admin.AdminHttpServer;
import io.meshlog.cert.ca.CaLoader;
import io.meshlog.cert.ca.CaRotation;
import io.meshlog.cert.ca.CertificateAuthority;
import io.meshlog.cert.config.CertServiceConfig;
import io.meshlog.cert.csr.CertificateMetrics;
import io.meshlog.cert.csr.CertificateRequestConsumer;
import io.meshlog.cert.csr.CertificateRequestHandler;
import io.meshlog.cert.election.SignerElection;
import io.meshlog.cert.jointoken.JoinTokenIssuer;
import io.meshlog.cert.jointoken.JoinTokenKey;
import io.meshlog.cert.jointoken.JoinTokenVerifier;
import io.meshlog.cert.jointoken.TokenRevocationList;
import io.meshlog.cert.keystore.CaStateDirectory;
import io.meshlog.cert.trust.TrustBundleManager;
import io.meshlog.cert.trust.TrustBundleState;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.schemas.v1.TrustBundle;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running cert-service: the CA, the join-token issuer and verifier, the request consumer, the
 * trust bundle publisher and (optionally) the admin endpoint, wired from one config. Start with
 * {@link #start}, stop with {@link #close()}. Tests drive rotation and revocation through the
 * accessors.
 */
public final class CertService implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(CertService.class);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);
    private static final String REVOKED_SERIALS = "revoked-serials.txt";
    /** The signer election's group and the signer's transactional id, after the topic prefix. */
    private static final String SIGNER = "meshlog-cert-signer";

    private final CertServiceConfig config;
    private final CertificateAuthority authority;
    private final JoinTokenIssuer tokens;
    private final TokenRevocationList revokedTokens;
    private final TrustBundleManager trust;
    private final CaRotation rotation;
    private final Producer<String, byte[]> producer;
    private final CertificateRequestConsumer consumer;
    private final Optional<AdminHttpServer> admin;

    private CertService(CertServiceConfig config, MeterRegistry registry, Clock clock) throws IOException {
        this.config = config;
        var state = new CaStateDirectory(config.stateDir());
        authority = new CertificateAuthority(CaLoader.loadOrCreate(config, state, clock),
                config.leafLifetime(), clock);
        var tokenKey = JoinTokenKey.loadOrCreate(state.file("token.key"));
        tokens = new JoinTokenIssuer(tokenKey, config.trustDomain(), clock);
        revokedTokens = TokenRevocationList.persistedIn(state.file("revoked-tokens.txt"));

        ensureTopics();
        producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer());
        var revokedSerials = state.readTextIfPresent(REVOKED_SERIALS)
                .map(text -> Set.copyOf(text.lines().filter(l -> !l.isBlank()).toList()))
                .orElse(Set.of());
        var placeholder = new TrustBundleState(List.of(), revokedSerials, clock.millis());
        trust = new TrustBundleManager(config.trustDomain(), placeholder, clock, this::publishBundle,
                serials -> state.writeText(REVOKED_SERIALS, String.join("\n", new TreeSet<>(serials)) + "\n"));
        rotation = new CaRotation(authority, state, trust, config.trustDomain(), clock,
                config.suppliedCa().isEmpty());
        trust.setAnchors(rotation.anchors());

        var handler = new CertificateRequestHandler(config.trustDomain(),
                new JoinTokenVerifier(tokenKey, revokedTokens, clock), authority, clock);
        var signerId = config.topics().prefix() + SIGNER;
        consumer = new CertificateRequestConsumer(config.kafka(), this::signerProducer,
                new SignerElection(config.kafka(), signerId, config.topics().trust().name()), handler,
                new CertificateMetrics(registry), config.topics(), clock);
        consumer.start();
        admin = config.adminPort() < 0 ? Optional.empty() : Optional.of(new AdminHttpServer(
                config.adminPort(), config.adminBearerToken(), tokens, revokedTokens, trust, rotation));
        LOGGER.atInfo().addKeyValue("config", config).log("cert-service started");
    }

    /** Starts cert-service: CA loaded or created, topics ensured, bundle published, consumer running. */
    public static CertService start(CertServiceConfig config, MeterRegistry registry, Clock clock) {
        try {
            return new CertService(config, registry, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cert-service could not start: " + e.getMessage(), e);
        }
    }

    public JoinTokenIssuer tokens() {
        return tokens;
    }

    public TokenRevocationList revokedTokens() {
        return revokedTokens;
    }

    public TrustBundleManager trust() {
        return trust;
    }

    public CaRotation rotation() {
        return rotation;
    }

    public CertificateAuthority authority() {
        return authority;
    }

    /** The admin endpoint's port, when it is on. */
    public Optional<Integer> adminPort() {
        return admin.map(AdminHttpServer::port);
    }

    private void ensureTopics() {
        try (var adminClient = Admin.create(new HashMap<>(config.kafka()))) {
            new TopicCreator(adminClient, config.replicationFactor(), KAFKA_TIMEOUT).ensure(List.of(
                    config.topics().certRequests(), config.topics().certIssued(),
                    config.topics().certRejected(), config.topics().trust()));
        }
    }

    private java.util.Map<String, Object> producerConfig() {
        var producerConfig = new HashMap<>(config.kafka());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        return producerConfig;
    }

    /**
     * The signer's transactional producer. Its id is the same in every instance of the mesh (the
     * write lock): a new signer's {@code initTransactions} fences the one before.
     */
    private Producer<String, byte[]> signerProducer() {
        var producerConfig = producerConfig();
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.topics().prefix() + SIGNER);
        producerConfig.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
        return new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
    }

    /** Whether this instance signs now (it won the election), rather than standing by. */
    public boolean signing() {
        return consumer.signing();
    }

    private void publishBundle(TrustBundle bundle) {
        var topic = config.topics().trust().name();
        try {
            producer.send(new ProducerRecord<>(topic, bundle.getTrustDomain(),
                    MeshSerdes.trustBundle().serialize(topic, bundle)))
                    .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the trust bundle", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish the trust bundle to " + topic + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin.ifPresent(AdminHttpServer::close);
        consumer.close();
        producer.close(KAFKA_TIMEOUT);
        LOGGER.atInfo().log("cert-service stopped");
    }
}
