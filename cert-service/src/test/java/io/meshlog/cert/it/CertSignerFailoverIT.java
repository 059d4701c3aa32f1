package io.meshlog.cert.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlog.cert.jointoken.JoinTokenIssuer;
import io.meshlog.cert.jointoken.JoinTokenKey;
import io.meshlog.proxy.identity.KeyCertMaterial;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two cert-service instances on one mesh and one CA: the first (a child JVM) signs, the second
 * stands by. The signer is killed with SIGKILL while proxies ask for certificates; the standby
 * must take over (election session 6 s), and every proxy gets one valid certificate, with no
 * serial issued twice in what read_committed readers see.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CertSignerFailoverIT {
    /** Session timeout of the killed signer plus a takeover and a batch, on a busy machine. */
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path stateDir;

    @Test
    void killingTheSignerWhileProxiesAskLosesNoIssuanceAndRepeatsNoSerial(SharedKafka kafka) throws Exception {
        var topics = new TopicCatalogue(kafka.uniquePrefix());
        var log = Path.of("target/cert-signer-child-" + topics.prefix() + "log");
        var child = startChild(kafka, topics, stateDir, log);
        try {
            // The standby joins once the child signs, so the sticky election leaves signing with the child.
            await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(log)
                    && Files.readString(log).contains("this instance signs certificates now"));
            var tokens = new JoinTokenIssuer(JoinTokenKey.loadOrCreate(stateDir.resolve("token.key")),
                    MeshFixture.TRUST_DOMAIN, Clock.systemUTC());
            try (var standby = new MeshFixture(kafka, topics, stateDir, Duration.ofHours(1))) {
                var id = MeshFixture.id("shop", "orders");
                var token = tokens.issue("shop", "orders", Duration.ofHours(1)).value();
                var first = standby.identity("before-kill", id, token).start().get(60, TimeUnit.SECONDS);
                assertThat(standby.certService.signing()).as("the child signs; this one stands by").isFalse();

                var pending = new ArrayList<CompletableFuture<KeyCertMaterial>>();
                for (int i = 0; i < 12; i++) {
                    if (i == 4) {
                        child.destroyForcibly(); // SIGKILL, possibly inside a transaction
                    }
                    pending.add(standby.identity("proxy-" + i, id, token).start());
                }

                var root = standby.certService.authority().signingCa().root();
                for (var material : pending) {
                    var leaf = material.get(BOUND.toSeconds(), TimeUnit.SECONDS).chain().get(0);
                    leaf.verify(root.getPublicKey());
                }
                first.chain().get(0).verify(root.getPublicKey());
                assertThat(standby.certService.signing()).isTrue();
                assertThat(standby.registry.get("meshlog.cert.signer.takeovers").counter().count()).isEqualTo(1.0);
                var serials = issuedSerials(standby);
                assertThat(new HashSet<>(serials)).as("no serial twice").hasSize(serials.size());
                assertThat(serials).as("every proxy answered").hasSizeGreaterThanOrEqualTo(13);
            }
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    /** Serials on the issued topic as read_committed readers (the proxies) see them. */
    private static List<String> issuedSerials(MeshFixture mesh) {
        return CertServiceIT.readAll(mesh, mesh.topics.certIssued().name()).stream()
                .map(r -> MeshSerdes.issuedCertificate().deserialize(r.topic(), r.value()).getSerial())
                .toList();
    }

    private static Process startChild(SharedKafka kafka, TopicCatalogue topics, Path stateDir, Path log)
            throws IOException {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.meshlog.cert.CertServiceMain", "run");
        var env = builder.environment();
        env.put("MESHLOG_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("MESHLOG_TOPIC_PREFIX", topics.prefix());
        env.put("MESHLOG_TRUST_DOMAIN", MeshFixture.TRUST_DOMAIN);
        env.put("MESHLOG_CERT_STATE_DIR", stateDir.toString());
        env.put("MESHLOG_CERT_LEAF_LIFETIME", "1h");
        return builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
