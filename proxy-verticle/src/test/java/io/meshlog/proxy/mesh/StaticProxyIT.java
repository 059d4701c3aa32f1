package io.meshlog.proxy.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.proxy.bootstrap.StartupTraining;
import io.meshlog.proxy.bootstrap.StaticProxy;
import io.meshlog.proxy.bootstrap.BootstrapLoader;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxy started from a static bootstrap file (no Hazelcast, no policy topic) whose telemetry goes
 * to a real broker, and the start-up training that {@code bin/proxy-static.sh} runs before its
 * first start. Lives beside {@link MeshProxyIT} to share its kit.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StaticProxyIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() throws Exception {
        MeshTestKit.await(vertx.close());
    }

    private static String bootstrap(String kafka, String topic, int appPort) {
        return """
                proxy: {id: static-1, workload: frontend}
                listeners:
                  outbound: {host: 127.0.0.1, port: 0}
                  inbound: {host: 127.0.0.1, port: 0, appPort: %d}
                  admin: {host: 127.0.0.1, port: 0}
                telemetry: {sink: kafka, bootstrapServers: "%s", topic: %s}
                services:
                  - name: orders
                    endpoints: [{host: 127.0.0.1, port: %d, workload: orders-v1}]
                """.formatted(appPort, kafka, topic, appPort);
    }

    private static String telemetryTopic(SharedKafka kafka) {
        var topics = new TopicCatalogue(kafka.uniquePrefix());
        new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(java.util.List.of(topics.telemetry()));
        return topics.telemetry().name();
    }

    @Test
    void everyRequestThroughAStaticProxyIsReportedOnTheTelemetryTopic(SharedKafka kafka, @TempDir Path dir)
            throws Exception {
        var topic = telemetryTopic(kafka);
        var app = new MeshTestKit.App(vertx, "orders-v1");
        var file = Files.writeString(dir.resolve("proxy.yaml"), bootstrap(kafka.bootstrapServers(), topic, app.port()));

        try (var proxy = StaticProxy.start(BootstrapLoader.load(file))) {
            for (int i = 0; i < 20; i++) {
                var reply = MeshTestKit.get(proxy.verticle().outboundPort(), "orders", "/orders/" + i + "?token=not-for-kafka", Map.of());
                assertThat(reply.status()).isEqualTo(200);
                assertThat(reply.upstream()).isEqualTo("orders-v1");
            }
        } // closing flushes the sink

        var records = MeshTestKit.read(kafka.bootstrapServers(), topic, MeshSerdes.requestTelemetry(), TIMEOUT,
                read -> read.size() >= 20);
        assertThat(records).hasSize(20).allSatisfy(record -> {
            RequestTelemetry event = record.value();
            assertThat(record.key()).isEqualTo("orders");
            assertThat(event.getProxyId()).isEqualTo("static-1");
            assertThat(event.getSourceWorkload()).isEqualTo("frontend");
            assertThat(event.getDestinationWorkload()).isEqualTo("orders-v1");
            assertThat(event.getStatus()).isEqualTo(200);
            assertThat(event.getPath()).matches("/orders/\\d+"); // no query string
        });
    }

    @Test
    void startUpTrainingRunsTheRequestPathOnFreePortsAndSendsNoTelemetry(SharedKafka kafka, @TempDir Path dir)
            throws Exception {
        var topic = telemetryTopic(kafka);
        var app = new MeshTestKit.App(vertx, "orders-v1");
        var file = Files.writeString(dir.resolve("proxy.yaml"), bootstrap(kafka.bootstrapServers(), topic, app.port()));

        int ok = StartupTraining.run(BootstrapLoader.load(file), 200);

        assertThat(ok).as("200s over 200 outbound and 50 inbound requests").isEqualTo(250);
        assertThat(app.hits).as("training never calls the user's services").hasValue(0);
        assertThat(MeshTestKit.read(kafka.bootstrapServers(), topic, MeshSerdes.requestTelemetry(),
                Duration.ofSeconds(3), read -> false)).isEmpty();
    }
}
