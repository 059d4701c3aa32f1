package io.meshlog.proxy.mesh;

import static io.meshlog.proxy.mesh.MeshTestKit.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An excluded workload runs without a sidecar, so nothing registers it: the proxies learn where it
 * serves from its ExcludedWorkload on the policy topic and call it there in plaintext (no SPIFFE
 * id on its endpoints), and forget it when the exclusion is deleted.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ExcludedWorkloadIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Vertx vertx = Vertx.vertx();
    private HazelcastInstance hazelcast;
    private MeshProxy web;

    @BeforeEach
    void hazelcast() {
        hazelcast = MeshTestKit.hazelcast();
    }

    @AfterEach
    void stop() throws Exception {
        if (web != null) {
            web.close();
        }
        MeshTestKit.await(vertx.close());
        hazelcast.shutdown();
    }

    @Test
    void aProxyCallsTheExcludedServiceAtItsDeclaredEndpointInPlaintext(SharedKafka kafka) throws Exception {
        // Given: legacy-billing, a plain HTTP app with no sidecar, and its exclusion on the policy topic
        var bootstrap = kafka.bootstrapServers();
        var topics = new TopicCatalogue(kafka.uniquePrefix());
        new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(topics.all());
        var legacy = new MeshTestKit.App(vertx, "legacy-billing");
        MeshTestKit.publishPolicies(bootstrap, topics.policy().name(), """
                apiVersion: meshlog.io/v1
                kind: ExcludedWorkload
                metadata: {name: legacy-billing}
                spec:
                  workload: legacy-billing
                  services: [legacy-billing]
                  endpoints: ["127.0.0.1:%d"]
                  owner: billing-team
                  reason: "vendor binary that cannot load a sidecar"
                  since: "2026-01-15"
                  reviewDate: "2099-01-01"
                """.formatted(legacy.port()));
        web = MeshTestKit.start(vertx, hazelcast,
                MeshTestKit.proxy("web-proxy", "web", null, Map.of("app", "web"), 0, bootstrap, topics));
        await().atMost(TIMEOUT).until(() -> !web.runtime().directory().endpoints("legacy-billing").isEmpty());

        // When
        var reply = get(web.outboundPort(), "legacy-billing", "/invoices", Map.of());

        // Then
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.upstream()).isEqualTo("legacy-billing");
        assertThat(web.runtime().directory().endpoints("legacy-billing")).singleElement().satisfies(endpoint -> {
            assertThat(endpoint.address()).isEqualTo("127.0.0.1:" + legacy.port());
            assertThat(endpoint.spiffeId()).as("no SPIFFE id: the upstream client does not originate mTLS").isEmpty();
            assertThat(endpoint.workload()).isEqualTo("legacy-billing");
        });
    }
}
