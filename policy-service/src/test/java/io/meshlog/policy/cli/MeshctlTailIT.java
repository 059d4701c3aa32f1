package io.meshlog.policy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.ResponseFlag;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class MeshctlTailIT {
    @Test
    void tailsTelemetryFilteredByServiceStatusClassAndFlag(SharedKafka kafka) {
        var prefix = kafka.uniquePrefix();
        var topics = new TopicCatalogue(prefix);
        new TopicCreator(kafka.admin(), (short) 1, Duration.ofSeconds(30)).ensure(List.of(topics.telemetry()));
        try (var producer = new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(),
                MeshSerdes.requestTelemetry().serializer())) {
            producer.send(new ProducerRecord<>(topics.telemetry().name(), "reviews", telemetry("reviews", 200, List.of())));
            producer.send(new ProducerRecord<>(topics.telemetry().name(), "ratings", telemetry("ratings", 503, List.of(ResponseFlag.UO))));
            producer.send(new ProducerRecord<>(topics.telemetry().name(), "reviews", telemetry("reviews", 503, List.of(ResponseFlag.UF))));
        }

        var result = new MeshctlRunner().run("tail", "telemetry", "--bootstrap-server", kafka.bootstrapServers(),
                "--topic-prefix", prefix, "--from-beginning", "--service", "reviews", "--status", "5xx", "--flag", "UF",
                "--max", "1", "--timeout", "30s");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().lines()).singleElement().asString()
                .contains("shop/frontend -> reviews/v1 GET 503 UF 12.5ms");
    }

    private static RequestTelemetry telemetry(String service, int status, List<ResponseFlag> flags) {
        return RequestTelemetry.newBuilder().setTraceId("t").setSpanId("s").setRequestId("r").setProxyId("p")
                .setReporter(Reporter.SOURCE).setSourceWorkload("frontend").setSourceNamespace("shop")
                .setDestinationService(service).setDestinationSubset("v1").setMethod("GET").setStatus(status)
                .setResponseFlags(flags).setDurationMicros(12_500).setEventTime(Instant.parse("2026-11-26T10:00:00Z")).build();
    }
}
