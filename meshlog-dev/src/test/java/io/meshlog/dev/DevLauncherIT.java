package io.meshlog.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.kafka.embedded.Ports;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user of {@code meshlog dev} sees: a broker Admin can reach, every topic, state kept. */
class DevLauncherIT {

    @Test
    void startsBrokerWithEveryTopicAndTheServicesAndKeepsStateAcrossRestarts(@TempDir Path state) throws Exception {
        var config = new DevConfig(state, Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(), false, null);
        String bootstrap;
        try (var stack = stackFor(config)) {
            stack.start();
            bootstrap = "127.0.0.1:" + config.kafkaPort();
            try (var admin = admin(bootstrap)) {
                for (TopicSpec spec : TopicCatalogue.standard().all()) {
                    assertThat(cleanupPolicy(admin, spec.name())).as(spec.name())
                            .isEqualTo(spec.cleanupPolicy().configValue());
                }
            }
            assertThat(httpStatus("http://127.0.0.1:" + config.policyPort() + "/health")).isEqualTo(200);
            assertThat(httpStatus("http://127.0.0.1:" + config.pipelineMetricsPort() + "/metrics")).isEqualTo(200);
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>(TopicCatalogue.DEAD_LETTERS, "k", "kept"))
                        .get(30, TimeUnit.SECONDS);
            }
        }

        try (var stack = stackFor(config)) {
            stack.start();
            assertThat(stack.endpoints()).anySatisfy(line -> assertThat(line).contains("0 created now"));
            assertThat(readOne(bootstrap, TopicCatalogue.DEAD_LETTERS)).isEqualTo("kept");
        }
    }

    @Test
    void brokerOnlyStartsTheBrokerWithEveryTopicAndNoService(@TempDir Path state) throws Exception {
        var config = new DevConfig(state, Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(), false, null);
        try (var stack = new DevStack(DevMain.Dev.brokerComponents(config))) {
            stack.start();
            try (var admin = admin("127.0.0.1:" + config.kafkaPort())) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .containsAll(TopicCatalogue.standard().all().stream().map(TopicSpec::name).toList());
            }
            try (var policyPort = new ServerSocket(config.policyPort(), 1, InetAddress.getLoopbackAddress())) {
                assertThat(policyPort.getLocalPort()).as("no policy API holds its port").isEqualTo(config.policyPort());
            }
        }

        var result = run("dev", "--broker-only", "--exit-when-ready", "--state-dir", state.toString(),
                "--kafka-port", Integer.toString(Ports.freePort()), "--controller-port", Integer.toString(Ports.freePort()));
        assertThat(result.exitCode).as(result.err).isZero();
        assertThat(result.out).contains("meshlog dev is running").contains("kafka").doesNotContain("policy API");
    }

    @Test
    void resetWipesEverythingButTheLock(@TempDir Path state) throws Exception {
        Files.createDirectories(state.resolve("pipeline/app/0_1"));
        Files.writeString(state.resolve("pipeline/app/0_1/.lock"), "");
        Files.writeString(state.resolve("policy-token"), "x");
        StateDirectory.wipe(state);
        try (var files = Files.list(state)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsOnly(".lock");
        }
    }

    @Test
    void refusesClearlyWhenThePortIsTaken(@TempDir Path state) throws Exception {
        try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var result = run("dev", "--state-dir", state.toString(),
                    "--kafka-port", Integer.toString(taken.getLocalPort()),
                    "--controller-port", Integer.toString(Ports.freePort()), "--no-demo");
            assertThat(result.exitCode).isEqualTo(1);
            assertThat(result.err).contains("port " + taken.getLocalPort()).contains("already in use")
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void refusesClearlyWhenTheStateDirectoryIsUnusable(@TempDir Path dir) throws Exception {
        var file = Files.writeString(dir.resolve("not-a-directory"), "x");
        var result = run("dev", "--state-dir", file.toString(), "--no-demo");
        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.err).contains("state directory").contains("is a file")
                .doesNotContain("\tat ");
    }

    @Test
    void refusesASecondLauncherOnTheSameState(@TempDir Path state) {
        try (var first = StateDirectory.open(state)) {
            var result = run("dev", "--state-dir", state.toString(), "--no-demo");
            assertThat(result.exitCode).isEqualTo(1);
            assertThat(result.err).contains("in use by another meshlog dev");
        }
    }

    private static DevStack stackFor(DevConfig config) {
        return new DevStack(DevMain.Dev.components(config));
    }

    private static int httpStatus(String url) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private record Result(int exitCode, String out, String err) {}

    private static Result run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cmd = DevMain.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static String cleanupPolicy(Admin admin, String topic) throws Exception {
        var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS)
                .get(resource).get("cleanup.policy").value();
    }

    private static String readOne(String bootstrap, String topic) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "dev-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    return record.value();
                }
            }
        }
        return null;
    }
}
