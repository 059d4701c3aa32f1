package io.meshlog.proxy.mesh;

import static io.meshlog.proxy.mesh.MeshTestKit.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Istio's Sidecar on real proxies: a root-namespace Sidecar with {@code ./*} isolates namespaces (a
 * proxy holds the routes and endpoints of its own namespace only, and answers a host outside its
 * scope 502 NR as Istio's REGISTRY_ONLY does); a workload's own Sidecar that widens the scope makes
 * it read the policy log again and watch the newly allowed services.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SidecarScopeIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final MeshProxies mesh = new MeshProxies();
    private final Vertx vertx = mesh.vertx;

    @AfterEach
    void stop() throws Exception {
        mesh.close();
    }

    private MeshProxy start(MeshProxyConfig config) throws Exception {
        return mesh.start(config);
    }

    @Test
    void namespaceIsolationHidesOtherNamespacesUntilAWorkloadSidecarAllowsThem(SharedKafka kafka) throws Exception {
        // Given: reviews in shop, banner in ads, a caller in shop, and the mesh default Sidecar ./*
        var bootstrap = kafka.bootstrapServers();
        var topics = new TopicCatalogue(kafka.uniquePrefix());
        new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(topics.all());
        var reviews = new MeshTestKit.App(vertx, "reviews");
        var banner = new MeshTestKit.App(vertx, "banner");
        MeshTestKit.publishPolicies(bootstrap, topics.policy().name(), """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: default, namespace: meshlog-system}
                spec:
                  egress: [{hosts: ["./*"]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: shop}
                spec:
                  hosts: [reviews]
                  http: [{name: reviews, route: [{destination: {host: reviews}}]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: banner, namespace: ads}
                spec:
                  hosts: [banner]
                  http: [{name: banner, route: [{destination: {host: banner}}]}]
                """);
        start(MeshTestKit.proxy("reviews-proxy", "shop", "reviews", "reviews", Map.of("app", "reviews"), reviews.port(),
                bootstrap, topics));
        start(MeshTestKit.proxy("banner-proxy", "ads", "banner", "banner", Map.of("app", "banner"), banner.port(),
                bootstrap, topics));
        var web = start(MeshTestKit.proxy("web-proxy", "shop", "web", null, Map.of("app", "web"), 0, bootstrap, topics));
        await().atMost(TIMEOUT).until(() -> web.runtime().directory().endpoints("reviews").size() == 1);

        // Then: only shop's service is held and callable
        assertThat(get(web.outboundPort(), "reviews", "/", Map.of()).upstream()).isEqualTo("reviews");
        assertThat(web.runtime().snapshots().current().routesFor("banner")).isNull();
        assertThat(web.runtime().directory().services()).containsExactly("reviews");
        var blocked = get(web.outboundPort(), "banner", "/", Map.of());
        assertThat(blocked.status()).isEqualTo(502);
        assertThat(banner.hits.get()).isZero();

        // When: the caller's own Sidecar (selector match beats the root default) also allows ads/*
        MeshTestKit.publishPolicies(bootstrap, topics.policy().name(), """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: web, namespace: shop}
                spec:
                  workloadSelector: {labels: {app: web}}
                  egress: [{hosts: ["./*", "ads/*"]}]
                """);

        // Then: the log is read again and the registry watched wider
        await().atMost(TIMEOUT).until(() -> web.runtime().snapshots().current().routesFor("banner") != null
                && web.runtime().directory().endpoints("banner").size() == 1);
        assertThat(get(web.outboundPort(), "banner", "/", Map.of()).upstream()).isEqualTo("banner");
        assertThat(web.runtime().directory().services()).containsExactlyInAnyOrder("reviews", "banner");
    }
}
