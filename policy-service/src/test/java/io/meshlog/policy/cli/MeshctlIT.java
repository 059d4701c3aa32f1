package io.meshlog.policy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.policy.PolicyService;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class MeshctlIT {
    private static final String TOKEN = ServiceUnderTest.TOKEN;

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
    void appliesTheSeedExamplesAndGetsThemBackAsJson() {
        var applied = meshctl.run("apply", "-f", "examples/reviews-virtualservice.yaml", "-f", "examples/reviews-destinationrule.yaml");

        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        assertThat(applied.out()).contains("destinationrule default/reviews created (generation 1)",
                "virtualservice default/reviews created (generation 1)");
        assertThat(applied.out().indexOf("destinationrule")).as("DestinationRule applied first")
                .isLessThan(applied.out().indexOf("virtualservice"));
        var got = meshctl.run("get", "virtualservice", "reviews", "-o", "json");
        assertThat(got.exitCode()).as(got.toString()).isZero();
        var split = new JsonObject(got.out()).getJsonObject("spec").getJsonArray("http").getJsonObject(1);
        assertThat(split.getJsonArray("route").getJsonObject(0).getInteger("weight")).isEqualTo(90);
        assertThat(split.getJsonObject("retries").getString("retryOn")).isEqualTo("5xx,connect-failure");

        var table = meshctl.run("get", "destinationrules");
        assertThat(table.out()).contains("NAMESPACE", "NAME", "GENERATION").contains("reviews");
        var again = meshctl.run("apply", "-f", "examples/reviews-destinationrule.yaml");
        assertThat(again.out()).contains("unchanged (generation 1)");
    }

    @Test
    void refusedDocumentsPrintOneLinePlusViolationsWithFileLines(@TempDir Path dir) throws Exception {
        var file = dir.resolve("bad.yaml");
        Files.writeString(file, Files.readString(Path.of("examples/reviews-virtualservice.yaml")).replace("weight: 90", "weight: 95"));

        var result = meshctl.run("apply", "-f", file.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("is invalid: 1 violation(s)", "spec.http[1].route: weights must sum to 100, but sum to 105")
                .contains("line 24 spec.http[1].route").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(meshctl.run("get", "virtualservice", "reviews").err()).contains("does not exist (HTTP 404)");
    }

    @Test
    void serverSideRefusalsAreReportedWithTheDocumentsLines(@TempDir Path dir) throws Exception {
        meshctl.run("apply", "-f", "examples/reviews-destinationrule.yaml");
        var file = dir.resolve("vs.yaml");
        Files.writeString(file, "# leading comment\n---\n" + Files.readString(Path.of("examples/reviews-virtualservice.yaml"))
                .replace("subset: v2\n      weight: 10", "subset: v7\n      weight: 10"));

        var result = meshctl.run("apply", "-f", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.err()).contains("vs.yaml:4 error: VirtualService/default/reviews is invalid", "(HTTP 422)", "line 32 spec.http[1].route[1].destination.subset: subset \"v7\" is not defined");
    }

    @Test
    void historyListsEveryVersionAndRollbackRestoresTheFirst(@TempDir Path dir) throws Exception {
        var file = dir.resolve("dr.yaml");
        var original = Files.readString(Path.of("examples/reviews-destinationrule.yaml"));
        Files.writeString(file, original);
        meshctl.run("apply", "-f", file.toString());
        Files.writeString(file, original.replace("maxConnections: 100", "maxConnections: 10"));
        meshctl.run("apply", "-f", file.toString());

        var history = meshctl.run("history", "destinationrule", "reviews");
        var rollback = meshctl.run("rollback", "destinationrule", "reviews", "--to", "1");
        var json = meshctl.run("get", "destinationrule", "reviews", "-o", "json");

        assertThat(history.exitCode()).as(history.toString()).isZero();
        assertThat(history.out()).contains("GENERATION", "AUTHOR", "CHANGE", "tester")
                .contains("spec.trafficPolicy.connectionPool.tcp.maxConnections: 100 -> 10");
        assertThat(rollback.out()).contains("rolled back to generation 1 as generation 3");
        var metadata = new JsonObject(json.out()).getJsonObject("metadata");
        assertThat(metadata.getLong("generation")).isEqualTo(3);
        assertThat(new JsonObject(json.out()).getJsonObject("spec").getJsonObject("trafficPolicy")
                .getJsonObject("connectionPool").getJsonObject("tcp").getInteger("maxConnections")).isEqualTo(100);
        var describe = meshctl.run("describe", "destinationrule", "reviews");
        assertThat(describe.out()).contains("kind: DestinationRule", "History:", "Proxies:");

        var deleted = meshctl.run("delete", "dr", "reviews");
        assertThat(deleted.out()).isEqualTo("destinationrule default/reviews deleted (was generation 3)\n");
        assertThat(meshctl.run("get", "dr", "reviews").exitCode()).isEqualTo(1);
        assertThat(meshctl.run("history", "dr", "reviews").out().lines().reduce((a, b) -> b).orElseThrow())
                .startsWith("3").endsWith("deleted");
    }

    @Test
    void statusShowsEachProxyAndHowFarBehindItIs(SharedKafka kafka) {
        meshctl.run("apply", "-f", "examples/reviews-destinationrule.yaml");
        FakeProxy.ackOnce(kafka, topics, "proxy-current", Map.of("DestinationRule/default/reviews", 1L));
        FakeProxy.ackOnce(kafka, topics, "proxy-behind", Map.of());

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
            var status = meshctl.run("status");
            assertThat(status.out()).contains("PROXY", "BEHIND", "LAGGING");
            assertThat(status.out().lines().filter(l -> l.startsWith("proxy-current")).findFirst().orElseThrow())
                    .contains(" 0 ");
            assertThat(status.out().lines().filter(l -> l.startsWith("proxy-behind")).findFirst().orElseThrow())
                    .contains("DestinationRule/default/reviews@-/1");
        });
    }

    @Test
    void applyWaitReturnsOnceTheProxyAckedAndReportsLaggards(SharedKafka kafka) throws Exception {
        try (var proxy = new FakeProxy(kafka, topics, "proxy-1")) {
            meshctl.run("apply", "-f", "examples/reviews-destinationrule.yaml");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> meshctl.run("status").out().contains("proxy-1"));

            var waited = meshctl.run("apply", "-f", "examples/reviews-virtualservice.yaml", "--wait", "--timeout", "30s");

            assertThat(waited.exitCode()).as(waited.toString()).isZero();
            assertThat(waited.out()).contains("all 1 proxies applied the new generations");
        }
        FakeProxy.ackOnce(kafka, topics, "proxy-stuck", Map.of());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> meshctl.run("status").out().contains("proxy-stuck"));

        var lagging = meshctl.run("apply", "-f", "examples/all-kinds.yaml", "--wait", "--timeout", "1s");

        assertThat(lagging.exitCode()).isEqualTo(1);
        assertThat(lagging.err()).contains("did not apply the new generations within 1s", "proxy-stuck", "Telemetry/shop/default at none, want 1");
    }

    @Test
    void proxiesThatLeftOrWentSilentNoLongerHoldUpStatusOrApplyWait(SharedKafka kafka) throws Exception {
        FakeProxy.ackOnce(kafka, topics, "proxy-left", Map.of());
        // Last heard of 80 s ago: the default expiry (90 s) removes it within about 10 s.
        FakeProxy.ackOnce(kafka, topics, "proxy-crashed", Map.of(), java.time.Instant.now().minusSeconds(80));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(8))
                .until(() -> meshctl.run("status").out().contains("proxy-left")
                        && meshctl.run("status").out().contains("proxy-crashed"));

        FakeProxy.leave(kafka, topics, "proxy-left");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> !meshctl.run("status").out().contains("proxy-left"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> !meshctl.run("status").out().contains("proxy-crashed"));

        try (var proxy = new FakeProxy(kafka, topics, "proxy-live")) {
            meshctl.run("apply", "-f", "examples/reviews-destinationrule.yaml");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> meshctl.run("status").out().contains("proxy-live"));

            var waited = meshctl.run("apply", "-f", "examples/reviews-virtualservice.yaml", "--wait", "--timeout", "30s");

            assertThat(waited.exitCode()).as(waited.toString()).isZero();
            assertThat(waited.out()).contains("all 1 proxies applied the new generations");
        }
    }

    @Test
    void yamlFromGetAppliesBackUnchangedWithServerAndTokenFromTheConfigFile(@TempDir Path dir) throws Exception {
        meshctl.run("apply", "-f", "examples/reviews-destinationrule.yaml");
        var config = dir.resolve(".meshctl.yaml");
        Files.writeString(config, "server: http://127.0.0.1:" + service.port() + "\ntoken: " + TOKEN + "\n");
        var fromFile = new MeshctlRunner().env("MESHCTL_CONFIG", config.toString());
        var yaml = fromFile.run("get", "dr", "reviews", "-o", "yaml");
        assertThat(yaml.out()).contains("kind: DestinationRule", "generation: 1", "connectTimeout: 250ms", "simple: LEAST_REQUEST");
        var file = dir.resolve("reviews.yaml");
        Files.writeString(file, yaml.out());

        var again = fromFile.runWithInput(yaml.out(), "apply", "-f", "-");

        assertThat(again.out()).as(again.toString()).isEqualTo("destinationrule default/reviews unchanged (generation 1)\n");
        Files.writeString(file, yaml.out().replace("generation: 1", "generation: 0").replace("250ms", "1s"));
        var stale = fromFile.run("apply", "--dry-run", "-f", file.toString());
        assertThat(stale.err()).contains("is at generation 1, but the change was based on generation 0", "(HTTP 409)");
        Files.writeString(file, yaml.out().replace("250ms", "1s"));
        var dry = fromFile.run("apply", "--dry-run", "-f", file.toString());
        assertThat(dry.out()).isEqualTo("destinationrule default/reviews configured (generation 2) (dry run)\n");
        assertThat(fromFile.run("get", "dr", "reviews", "-o", "yaml").out()).contains("connectTimeout: 250ms", "generation: 1");
    }

    @Test
    void analyzeLiveChecksFilesAgainstThePoliciesInForce(@TempDir Path dir) throws Exception {
        meshctl.run("apply", "-f", "examples/reviews-destinationrule.yaml");
        var file = dir.resolve("vs.yaml");
        Files.writeString(file, Files.readString(Path.of("examples/reviews-virtualservice.yaml")));

        var offline = meshctl.run("analyze", "-f", file.toString());
        var live = meshctl.run("analyze", "-f", file.toString(), "--live");
        Files.writeString(file, Files.readString(file).replace("subset: v2\n      weight: 10", "subset: v3\n      weight: 10"));
        var liveMistake = meshctl.run("analyze", "-f", file.toString(), "--live");

        assertThat(offline.exitCode()).as(offline.toString()).isEqualTo(1);
        assertThat(offline.out()).contains("ML0101").contains("not defined by any DestinationRule");
        assertThat(live.exitCode()).as(live.toString()).isZero();
        assertThat(liveMistake.exitCode()).isEqualTo(1);
        assertThat(liveMistake.out()).contains("[ML0101]", "subset \"v3\" of host reviews is not defined by its DestinationRule");
    }

    @Test
    void writesWithoutTheTokenFailWithOneClearLine() {
        var result = new MeshctlRunner().env("MESHCTL_SERVER", "http://127.0.0.1:" + service.port())
                .run("delete", "destinationrule", "reviews");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: authentication required").contains("(HTTP 401)");
    }

    @Test
    void anUnreachableServerIsOneClearLine() {
        var result = new MeshctlRunner().env("MESHCTL_SERVER", "http://127.0.0.1:1").run("get", "destinationrules");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: cannot reach policy-service at http://127.0.0.1:1: connection refused").hasLineCount(1);
    }
}
