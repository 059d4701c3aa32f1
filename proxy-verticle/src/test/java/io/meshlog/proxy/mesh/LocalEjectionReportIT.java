package io.meshlog.proxy.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.proxy.decisions.LocalEjectionPublisher;
import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.proxy.resilience.AttemptFailure;
import io.meshlog.proxy.resilience.EndpointState;
import io.meshlog.proxy.resilience.LocalOutlierDetector;
import io.meshlog.proxy.resilience.OutlierSettings;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.schemas.v1.Ejection;
import io.meshlog.schemas.v1.EjectionScope;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A proxy's own outlier ejection reaches the decisions topic as a LOCAL ejection, on a real broker. */
@ExtendWith(KafkaBrokerExtension.class)
class LocalEjectionReportIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void anEndpointThisProxyEjectsIsReportedOnTheDecisionsTopicAsLocal(SharedKafka kafka) {
        // Given
        var topics = new TopicCatalogue(kafka.uniquePrefix());
        new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(List.of(topics.decisions()));
        var detector = new LocalOutlierDetector(Clock.systemUTC());
        var all = List.of(new EndpointState(new Endpoint("inventory", "127.0.0.1", 8083, Map.of(), "inventory-3", "")),
                new EndpointState(new Endpoint("inventory", "127.0.0.1", 8084, Map.of(), "inventory-4", "")));
        try (var publisher = new LocalEjectionPublisher(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                topics.decisions().name(), "orders-v1-7", Clock.systemUTC(), new SimpleMeterRegistry())) {
            detector.onChange(publisher);
            // When
            for (int i = 0; i < 5; i++) {
                detector.record("inventory", all, all.get(0), OutlierSettings.DEFAULT, 503, AttemptFailure.NONE);
            }
        } // closing sends what is queued

        // Then
        var records = MeshTestKit.read(kafka.bootstrapServers(), topics.decisions().name(), MeshSerdes.decision(),
                TIMEOUT, read -> !read.isEmpty());
        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("local-ejection/orders-v1-7/inventory/127.0.0.1:8083");
            var ejection = (Ejection) record.value().getPayload();
            assertThat(ejection.getScope()).isEqualTo(EjectionScope.LOCAL);
            assertThat(ejection.getProxyId()).isEqualTo("orders-v1-7");
            assertThat(ejection.getEjected()).isTrue();
            assertThat(ejection.getDetail()).isEqualTo("5 consecutive 5xx");
        });
    }
}
