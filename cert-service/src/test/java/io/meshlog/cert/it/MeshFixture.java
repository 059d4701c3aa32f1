package io.meshlog.cert.it;

import io.meshlog.cert.CertService;
import io.meshlog.cert.config.CertServiceConfig;
import io.meshlog.proxy.identity.IdentityConfig;
import io.meshlog.proxy.identity.SpiffeId;
import io.meshlog.proxy.identity.WorkloadIdentity;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.testsupport.SharedKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A real cert-service on the shared broker under a fresh topic prefix, and proxies' identities. */
final class MeshFixture implements AutoCloseable {
    static final String TRUST_DOMAIN = "cluster.local";

    final SharedKafka kafka;
    final TopicCatalogue topics;
    final Path stateDir;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final CertService certService;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    MeshFixture(SharedKafka kafka, Path stateDir, Duration leafLifetime) {
        this(kafka, new TopicCatalogue(kafka.uniquePrefix()), stateDir, leafLifetime);
    }

    /** A cert-service on {@code topics}, e.g. a standby next to another instance on the same state. */
    MeshFixture(SharedKafka kafka, TopicCatalogue topics, Path stateDir, Duration leafLifetime) {
        this.kafka = kafka;
        this.topics = topics;
        this.stateDir = stateDir;
        this.certService = CertService.start(new CertServiceConfig(TRUST_DOMAIN, stateDir, leafLifetime,
                topics, Map.of("bootstrap.servers", kafka.bootstrapServers()), (short) 1, -1, null,
                Optional.empty()), registry, Clock.systemUTC());
    }

    static SpiffeId id(String namespace, String serviceAccount) {
        return new SpiffeId(TRUST_DOMAIN, namespace, serviceAccount);
    }

    /** A token from this cert-service for {@code id}'s service account. */
    String token(SpiffeId id) {
        return certService.tokens().issue(id.namespace(), id.serviceAccount(), Duration.ofHours(1)).value();
    }

    WorkloadIdentity identity(String proxyId, SpiffeId id, String token) {
        var config = new IdentityConfig(proxyId, id, token, topics,
                Map.of("bootstrap.servers", kafka.bootstrapServers()), Duration.ofSeconds(10),
                Duration.ofMillis(200), Duration.ofSeconds(2), IdentityConfig.DEFAULT_RENEWAL_JITTER, null);
        var identity = new WorkloadIdentity(config);
        closeables.add(identity);
        return identity;
    }

    @Override
    public void close() throws Exception {
        for (var c : closeables) {
            c.close();
        }
        certService.close();
    }
}
