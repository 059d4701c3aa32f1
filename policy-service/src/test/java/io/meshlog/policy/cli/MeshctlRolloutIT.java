package io.meshlog.policy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.policy.PolicyService;
import io.meshlog.policy.config.PolicyServiceConfig;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.WouldHave;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code meshctl mode} and {@code meshctl rollout status} against a real policy-service and broker. */
@ExtendWith(KafkaBrokerExtension.class)
class MeshctlRolloutIT {
    private static final String TOKEN = "meshctl-token-0123456789";

    private PolicyService service;
    private String prefix;
    private String bootstrap;
    private MeshctlRunner meshctl;

    @BeforeEach
    void start(SharedKafka kafka) {
        prefix = kafka.uniquePrefix();
        bootstrap = kafka.bootstrapServers();
        var topics = new TopicCatalogue(prefix);
        service = PolicyService.start(PolicyServiceConfig.forTests(bootstrap, prefix, TOKEN));
        new TopicCreator(kafka.admin(), (short) 1, Duration.ofSeconds(30)).ensure(List.of(topics.telemetry()));
        meshctl = new MeshctlRunner().env("MESHCTL_SERVER", "http://127.0.0.1:" + service.port()).env("MESHCTL_TOKEN", TOKEN)
                .env("MESHCTL_KAFKA_BOOTSTRAP", bootstrap);
        try (var producer = new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(),
                MeshSerdes.requestTelemetry().serializer())) {
            var telemetry = topics.telemetry().name();
            var now = Instant.now();
            // shop observes: two plaintext requests STRICT would refuse, one retry; billing enforces nothing to count
            producer.send(new ProducerRecord<>(telemetry, "orders", event(Reporter.DESTINATION, "shop", "orders", now,
                    List.of(WouldHave.REFUSE_PLAINTEXT, WouldHave.DENY))));
            producer.send(new ProducerRecord<>(telemetry, "orders", event(Reporter.DESTINATION, "shop", "orders", now,
                    List.of(WouldHave.REFUSE_PLAINTEXT))));
            producer.send(new ProducerRecord<>(telemetry, "orders", event(Reporter.SOURCE, "shop", "web", now,
                    List.of(WouldHave.RETRY))));
            producer.send(new ProducerRecord<>(telemetry, "orders", event(Reporter.SOURCE, "shop", "web",
                    now.minus(Duration.ofHours(2)), List.of(WouldHave.EJECT))));
            producer.send(new ProducerRecord<>(telemetry, "ledger", event(Reporter.SOURCE, "billing", "ledger", now, List.of())));
        }
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void aNamespaceGoesFromObserveToEnforceThroughThePolicyLogWithItsWouldHaveCountsShownFirst() {
        var observe = meshctl.run("mode", "observe", "shop");
        var status = meshctl.run("rollout", "status", "--topic-prefix", prefix);
        var dryRun = meshctl.run("mode", "enforce", "shop", "--dry-run", "--topic-prefix", prefix);

        assertThat(observe.exitCode()).as(observe.toString()).isZero();
        assertThat(observe.out()).contains("meshmode shop/default created (generation 1): OBSERVE");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("mesh (meshlog-system): ENFORCE")
                .contains("namespace shop: OBSERVE")
                .contains("would have (last 1h): retry=1 deny=1 refuse_plaintext=2")
                .contains("STRICT would refuse 2 plaintext request(s) to orders")
                .contains("AuthorizationPolicy would deny 1 request(s) to orders")
                .contains("retries would repeat 1 failed request(s) from web")
                .doesNotContain("eject");
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.out()).contains("(dry run): ENFORCE").contains("refuse_plaintext: 2").contains("eject: 0")
                .contains("enforcing would change:");
        assertThat(meshctl.run("get", "meshmode", "default", "-n", "shop", "-o", "json").out()).contains("\"OBSERVE\"");

        var enforce = meshctl.run("mode", "enforce", "shop");
        var rollback = meshctl.run("rollback", "meshmode", "default", "-n", "shop", "--to", "1");

        assertThat(enforce.out()).contains("meshmode shop/default configured (generation 2): ENFORCE");
        assertThat(meshctl.run("history", "meshmode", "default", "-n", "shop").out()).contains("OBSERVE -> ENFORCE");
        assertThat(rollback.out()).contains("rolled back to generation 1 as generation 3");
        assertThat(meshctl.run("rollout", "status", "--topic-prefix", prefix).out()).contains("namespace shop: OBSERVE");
    }

    @Test
    void anUnknownModeIsAUsageError() {
        var result = meshctl.run("mode", "audit", "shop");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("mode must be observe or enforce, but was 'audit'");
    }

    private static RequestTelemetry event(Reporter reporter, String namespace, String workload, Instant time,
            List<WouldHave> wouldHave) {
        boolean source = reporter == Reporter.SOURCE;
        return RequestTelemetry.newBuilder().setTraceId("t").setSpanId("s").setRequestId("r").setProxyId("p")
                .setReporter(reporter).setSourceWorkload(source ? workload : "unknown")
                .setSourceNamespace(source ? namespace : "unknown").setDestinationService("orders")
                .setDestinationWorkload(source ? null : workload).setMethod("GET").setStatus(200)
                .setDurationMicros(1000).setEventTime(time).setObserve(!wouldHave.isEmpty()).setWouldHave(wouldHave)
                .setProxyNamespace(namespace).build();
    }
}
