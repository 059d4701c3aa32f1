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
 * Istio's routing fields in control-plane mode: the VirtualService arrives on the policy topic and
 * the endpoints through the Hazelcast registry, whose registrations carry each workload's app port
 * as its service port, so {@code destination.port} picks the workloads serving that port.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MeshRoutingIT {
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
    void destinationPortAndSourceLabelsFromThePolicyTopicRouteThroughTheRegistry(SharedKafka kafka) throws Exception {
        // Given: two workloads of "catalog" serving different app ports, and a caller labelled app=web
        var bootstrap = kafka.bootstrapServers();
        var topics = new TopicCatalogue(kafka.uniquePrefix());
        new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(topics.all());
        var main = new MeshTestKit.App(vertx, "catalog-main");
        var admin = new MeshTestKit.App(vertx, "catalog-admin");
        MeshTestKit.publishPolicies(bootstrap, topics.policy().name(), """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: catalog}
                spec:
                  hosts: [catalog]
                  http:
                    - name: not-for-web
                      match: [{sourceLabels: {app: batch}}]
                      route: [{destination: {host: catalog, port: {number: %d}}}]
                    - name: admin
                      match: [{uri: {prefix: /admin}}]
                      route: [{destination: {host: catalog, port: {number: %d}}}]
                    - name: main
                      route: [{destination: {host: catalog, port: {number: %d}}}]
                """.formatted(admin.port(), admin.port(), main.port()));
        start(MeshTestKit.proxy("catalog-main-proxy", "catalog-main", "catalog", Map.of("app", "catalog"), main.port(),
                bootstrap, topics));
        start(MeshTestKit.proxy("catalog-admin-proxy", "catalog-admin", "catalog", Map.of("app", "catalog"), admin.port(),
                bootstrap, topics));
        var web = start(MeshTestKit.proxy("web-proxy", "web", null, Map.of("app", "web"), 0, bootstrap, topics));
        await().atMost(TIMEOUT).until(() -> web.runtime().directory().endpoints("catalog").size() == 2
                && web.runtime().snapshots().current().routesFor("catalog") != null);
        // When / Then
        for (int i = 0; i < 10; i++) {
            assertThat(get(web.outboundPort(), "catalog", "/admin/stats", Map.of()).upstream()).isEqualTo("catalog-admin");
            assertThat(get(web.outboundPort(), "catalog", "/items", Map.of()).upstream()).isEqualTo("catalog-main");
        }
        assertThat(web.runtime().directory().endpoints("catalog")).extracting(e -> e.servicePort())
                .containsExactlyInAnyOrder(main.port(), admin.port());
    }
}
