package io.meshlog.policy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.policy.PolicyService;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.schemas.v1.CanaryPhase;
import io.meshlog.schemas.v1.CanaryRollbackReason;
import io.meshlog.schemas.v1.CanaryStatus;
import io.meshlog.schemas.v1.CanaryStepMetrics;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;

/** {@code meshctl canary} against a real policy service and broker. */
@ExtendWith(KafkaBrokerExtension.class)
class MeshctlCanaryIT {
    private static final String TOKEN = ServiceUnderTest.TOKEN;
    private static final String CANARY = """
            apiVersion: meshlog.io/v1
            kind: Canary
            metadata: {name: orders}
            spec:
              targetRef: {name: orders}
              analysis: {stepWeights: [10, 50], minRequests: 20,
                         metrics: [{name: request-success-rate, thresholdRange: {min: 99}}]}
            """;

    private ServiceUnderTest policy;
    private PolicyService service;
    private TopicCatalogue topics;
    private MeshctlRunner meshctl;

    @BeforeEach
    void start(SharedKafka kafka) {
        policy = new ServiceUnderTest(kafka);
        service = policy.service;
        topics = policy.topics;
        meshctl = policy.meshctl;
    }

    @AfterEach
    void stop() {
        policy.close();
    }

    @Test
    void pauseAndResumeSetAndClearTheControlLabelAsNewGenerationsOfTheSameSpec(@TempDir Path dir) throws Exception {
        var file = dir.resolve("canary.yaml");
        Files.writeString(file, CANARY);
        assertThat(meshctl.run("apply", "-f", file.toString()).exitCode()).isZero();
        var before = new JsonObject(meshctl.run("get", "canary", "orders", "-o", "json").out());

        var paused = meshctl.run("canary", "pause", "orders");
        var afterPause = new JsonObject(meshctl.run("get", "canary", "orders", "-o", "json").out());
        var resumed = meshctl.run("canary", "resume", "orders");
        var afterResume = new JsonObject(meshctl.run("get", "canary", "orders", "-o", "json").out());

        assertThat(paused.exitCode()).as(paused.toString()).isZero();
        assertThat(paused.out()).isEqualTo("canary default/orders paused as generation 2; see meshctl canary status orders\n");
        assertThat(afterPause.getJsonObject("metadata").getJsonObject("labels").getString(CanaryCommand.CONTROL_LABEL))
                .isEqualTo("pause");
        assertThat(afterPause.getJsonObject("spec")).isEqualTo(before.getJsonObject("spec"));
        assertThat(resumed.out()).contains("resumed as generation 3");
        assertThat(afterResume.getJsonObject("metadata").getJsonObject("labels", new JsonObject())
                .containsKey(CanaryCommand.CONTROL_LABEL)).isFalse();
        assertThat(meshctl.run("canary", "abort", "missing").err()).contains("does not exist (HTTP 404)");
    }

    @Test
    void statusAndTailShowTheControllersLastStatusWithTheRollbackReason(SharedKafka kafka) {
        new TopicCreator(kafka.admin(), (short) 1, Duration.ofSeconds(30)).ensure(List.of(topics.canaryStatus()));
        try (var producer = new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(),
                MeshSerdes.canaryStatus().serializer())) {
            producer.send(new ProducerRecord<>(topics.canaryStatus().name(), "default/orders", status(CanaryPhase.Progressing, null)));
            producer.send(new ProducerRecord<>(topics.canaryStatus().name(), "default/payments", status(CanaryPhase.Succeeded, null)));
            producer.send(new ProducerRecord<>(topics.canaryStatus().name(), "default/orders", status(CanaryPhase.Failed,
                    CanaryRollbackReason.newBuilder().setMetric("request-success-rate").setValue(80.0).setThreshold(99.0)
                            .setRequests(20).build())));
        }

        var status = meshctl.run("canary", "status", "orders", "--bootstrap-server", kafka.bootstrapServers(),
                "--topic-prefix", topics.prefix());
        var tail = meshctl.run("tail", "canaries", "--bootstrap-server", kafka.bootstrapServers(), "--topic-prefix",
                topics.prefix(), "--from-beginning", "--max", "3", "--timeout", "30s");

        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("canary default/orders (service orders, stable -> canary, generation 1)",
                "phase Failed, step 1 of 2, canary weight 0%, failed checks 1",
                "this step, same time: canary 20 requests, success 80.00%, p99 3.0 ms; stable 40 requests",
                "rollback check: request-success-rate 80.00 (threshold 99.00) over 20 canary requests");
        assertThat(tail.exitCode()).as(tail.toString()).isZero();
        assertThat(tail.out()).contains("phase Progressing", "phase Succeeded", "phase Failed");
    }

    private static CanaryStatus status(CanaryPhase phase, CanaryRollbackReason reason) {
        var canary = CanaryStepMetrics.newBuilder().setRequests(20).setFailures(4).setSuccessRate(80.0).setP99Millis(3.0).build();
        var stable = CanaryStepMetrics.newBuilder().setRequests(40).setFailures(0).setSuccessRate(100.0).setP99Millis(2.5).build();
        return CanaryStatus.newBuilder().setNamespace("default").setName("orders").setService("orders")
                .setStableSubset("stable").setCanarySubset("canary").setPhase(phase).setCanaryGeneration(1).setStep(0)
                .setSteps(2).setCanaryWeight(phase == CanaryPhase.Failed ? 0 : 10).setFailedChecks(reason == null ? 0 : 1)
                .setRouteGeneration(2).setRouteAcknowledged(true).setStepStartedAt(Instant.EPOCH).setCanary(canary)
                .setStable(stable).setRollbackReason(reason).setMessage("test").setUpdatedAt(Instant.EPOCH).build();
    }
}
