package io.meshlog.cert.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.meshlog.cert.jointoken.JoinTokenIssuer;
import io.meshlog.cert.jointoken.JoinTokenKey;
import io.meshlog.cert.keystore.Pem;
import io.meshlog.proxy.identity.CsrBuilder;
import io.meshlog.proxy.identity.IdentityRejectedException;
import io.meshlog.proxy.identity.JoinTokenProof;
import io.meshlog.proxy.identity.KeyCertMaterial;
import io.meshlog.proxy.identity.PeerIdentity;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.v1.CertificateRequest;
import io.meshlog.schemas.v1.RejectionReason;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

@ExtendWith(KafkaBrokerExtension.class)
class CertServiceIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path stateDir;

    @Test
    void workloadIdentityObtainsACertificateThroughKafka(SharedKafka kafka) throws Exception {
        try (var mesh = new MeshFixture(kafka, stateDir, Duration.ofHours(24))) {
            var id = MeshFixture.id("payments", "payment-processor");
            var identity = mesh.identity("proxy-pay-1", id, mesh.token(id));

            var material = identity.start().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            var leaf = material.chain().get(0);
            assertThat(PeerIdentity.of(leaf).spiffeId()).isEqualTo(id);
            assertThat(leaf.getPublicKey().getEncoded()).isNotEmpty();
            leaf.verify(mesh.certService.authority().signingCa().root().getPublicKey());
            assertThat(material.trustAnchors()).containsExactly(mesh.certService.authority().signingCa().root());
            assertThat(material.notAfter()).isAfter(Instant.now().plus(Duration.ofHours(23)));
            assertThat(mesh.registry.get("meshlog.cert.issued").counter().count()).isEqualTo(1.0);
        }
    }

    @Test
    void wrongExpiredForeignAccountAndMismatchedSanRequestsAreRefusedWithTheirReasonAndNothingIssued(
            SharedKafka kafka) throws Exception {
        try (var mesh = new MeshFixture(kafka, stateDir, Duration.ofHours(24))) {
            var id = MeshFixture.id("payments", "payment-processor");
            var forged = new JoinTokenIssuer(JoinTokenKey.random(), MeshFixture.TRUST_DOMAIN, Clock.systemUTC())
                    .issue("payments", "payment-processor", Duration.ofHours(1)).value();
            var expired = new JoinTokenIssuer(JoinTokenKey.loadOrCreate(stateDir.resolve("token.key")),
                    MeshFixture.TRUST_DOMAIN, Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)))
                    .issue("payments", "payment-processor", Duration.ofHours(1)).value();
            var otherAccountToken = mesh.token(MeshFixture.id("payments", "reporting"));

            assertRefused(mesh.identity("proxy-wrong", id, forged), RejectionReason.BAD_TOKEN);
            assertRefused(mesh.identity("proxy-expired", id, expired), RejectionReason.EXPIRED_TOKEN);
            assertRefused(mesh.identity("proxy-other-sa", id, otherAccountToken), RejectionReason.SAN_MISMATCH);
            var sanMismatch = sendCsrWithSan(mesh, "proxy-san", id.uri(),
                    "spiffe://cluster.local/ns/payments/sa/admin", mesh.token(id));
            assertThat(sanMismatch.getReason()).isEqualTo(RejectionReason.SAN_MISMATCH);
            assertThat(sanMismatch.getMessage()).contains("spiffe://cluster.local/ns/payments/sa/admin");

            var issuedKeys = new ArrayList<String>();
            readAll(mesh, mesh.topics.certIssued().name()).forEach(r -> issuedKeys.add(r.key()));
            assertThat(issuedKeys).isEmpty();
            assertThat(mesh.registry.get("meshlog.cert.rejected").tag("reason", "bad_token").counter().count())
                    .isGreaterThanOrEqualTo(1.0);
            assertThat(mesh.registry.get("meshlog.cert.rejected").tag("reason", "san_mismatch").counter().count())
                    .isGreaterThanOrEqualTo(2.0);
        }
    }

    @Test
    void noPrivateKeyOrTokenAppearsInAnyLogLineOrCertificateTopicRecord(SharedKafka kafka) throws Exception {
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        var root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var meshlog = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.meshlog");
        root.addAppender(appender);
        meshlog.setLevel(Level.DEBUG);
        try (var mesh = new MeshFixture(kafka, stateDir, Duration.ofHours(24))) {
            var id = MeshFixture.id("shop", "cart");
            var token = mesh.token(id);
            var identity = mesh.identity("proxy-cart-1", id, token);
            KeyCertMaterial material = identity.start().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            var rejectedToken = mesh.token(MeshFixture.id("shop", "checkout"));
            assertRefused(mesh.identity("proxy-cart-2", id, rejectedToken), RejectionReason.SAN_MISMATCH);
            var caKeyBody = body(Pem.encode(mesh.certService.authority().signingCa().key()));

            var secrets = List.of("PRIVATE KEY", token, signature(token), rejectedToken, signature(rejectedToken),
                    body(material.privateKeyPem()), caKeyBody);
            var logText = new StringBuilder();
            for (var event : appender.list) {
                logText.append(event.getFormattedMessage()).append(' ').append(event.getKeyValuePairs()).append(' ');
                if (event.getThrowableProxy() != null) {
                    logText.append(event.getThrowableProxy().getMessage());
                }
                logText.append('\n');
            }
            var topicText = new StringBuilder();
            for (var topic : List.of(mesh.topics.certRequests(), mesh.topics.certIssued(),
                    mesh.topics.certRejected(), mesh.topics.trust())) {
                for (var record : readAll(mesh, topic.name())) {
                    topicText.append(new String(record.value(), StandardCharsets.ISO_8859_1)).append('\n');
                }
            }

            assertThat(appender.list).as("log lines captured").hasSizeGreaterThan(5);
            assertThat(topicText).as("the topics carry the certificates").contains("BEGIN CERTIFICATE");
            for (var secret : secrets) {
                assertThat(logText.toString()).as("logs").doesNotContain(secret);
                assertThat(topicText.toString()).as("topics").doesNotContain(secret);
            }
        } finally {
            root.detachAppender(appender);
            meshlog.setLevel(null);
        }
    }

    private static void assertRefused(io.meshlog.proxy.identity.WorkloadIdentity identity, RejectionReason reason) {
        assertThat(identity.start()).failsWithin(TIMEOUT).withThrowableThat()
                .havingRootCause().isInstanceOfSatisfying(IdentityRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(reason));
        identity.close();
    }

    private static io.meshlog.schemas.v1.CertificateRejected sendCsrWithSan(MeshFixture mesh, String proxyId,
            String requested, String san, String token) throws Exception {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        var csr = CsrBuilder.build(generator.generateKeyPair(), san);
        var request = CertificateRequest.newBuilder().setRequestId("r-" + proxyId).setProxyId(proxyId)
                .setSpiffeId(requested).setCsrPem(csr.pem())
                .setJoinTokenClaims(JoinTokenProof.claims(token))
                .setJoinTokenProof(JoinTokenProof.proof(token, csr.der()))
                .setRequestedAt(Instant.now()).build();
        try (var producer = new KafkaProducer<>(mesh.kafka.producerConfig(), new StringSerializer(),
                MeshSerdes.certificateRequest())) {
            producer.send(new ProducerRecord<>(mesh.topics.certRequests().name(), proxyId, request))
                    .get(30, TimeUnit.SECONDS);
        }
        try (var consumer = new KafkaConsumer<>(mesh.kafka.consumerConfig("rejected-" + proxyId),
                new StringDeserializer(), MeshSerdes.certificateRejected())) {
            consumer.subscribe(List.of(mesh.topics.certRejected().name()));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (proxyId.equals(record.key())) {
                        return record.value();
                    }
                }
            }
        }
        throw new AssertionError("no CertificateRejected for " + proxyId);
    }

    /** Every committed record on {@code topic} up to its current end (as the proxies read it). */
    static List<ConsumerRecord<String, byte[]>> readAll(MeshFixture mesh, String topic) {
        var config = new HashMap<String, Object>(mesh.kafka.consumerConfig("scan"));
        config.remove("group.id");
        config.put("isolation.level", "read_committed");
        var result = new ArrayList<ConsumerRecord<String, byte[]>>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(result::add);
            }
        }
        return result;
    }

    private static String signature(String token) {
        return token.substring(token.indexOf('.') + 1);
    }

    private static String body(String pem) {
        return pem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    }
}
