package io.meshlog.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.policy.PolicyService;
import io.meshlog.schemas.auth.BearerToken;
import io.meshlog.policy.config.PolicyServiceConfig;
import io.meshlog.policy.model.PolicyEvents;
import io.meshlog.policy.parse.YamlLimits;
import io.meshlog.proxy.bootstrap.BootstrapLoader;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Istio-shaped policy files through every entry point, on a real broker and a real policy service:
 * the proxy's static bootstrap and {@code meshctl apply -f} read the same file into the same specs,
 * and Istio documents as written (bookinfo's shapes, the design notes' YAML) pass {@code apply --dry-run}.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IstioDocumentsIT {
    private static final String TOKEN = "istio-documents-it-token-0123456789";
    private static final Path STATIC_BOOTSTRAP = Path.of("..", "proxy-verticle", "examples", "static-bootstrap.yaml");
    private static final Path STATIC_POLICIES = Path.of("..", "proxy-verticle", "examples", "static-policies.yaml");
    private static final Path ISTIO = Path.of("..", "policy-service", "src", "test", "resources", "istio");

    private PolicyService policy;

    @BeforeAll
    void start(SharedKafka kafka) throws Exception {
        var topics = new TopicCatalogue(kafka.uniquePrefix());
        new TopicCreator(kafka.admin(), (short) 1, Duration.ofSeconds(30)).ensure(topics.all());
        policy = PolicyService.start(new PolicyServiceConfig("127.0.0.1", 0, kafka.bootstrapServers(), topics,
                List.of(new BearerToken("tester", TOKEN, true)), false, PolicyServiceConfig.DEFAULT_PUBLISH_TIMEOUT,
                YamlLimits.DEFAULT, Map.of(), false));
    }

    @AfterAll
    void stop() throws Exception {
        if (policy != null) {
            policy.close();
        }
    }

    @Test
    void theStaticBootstrapAndMeshctlApplyReadTheSamePolicyFileIntoTheSameSpecs() {
        // Given: the example bootstrap names the example policy file in policyFiles
        var bootstrap = BootstrapLoader.load(STATIC_BOOTSTRAP);
        assertThat(bootstrap.policies()).hasSize(3);
        // When
        var apply = meshctl("apply", "-f", STATIC_POLICIES.toString());
        // Then
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        for (var event : bootstrap.policies()) {
            var kind = event.getKind().name().toLowerCase(Locale.ROOT);
            var get = meshctl("get", kind, event.getName(), "-n", event.getNamespace(), "-o", "json");
            assertThat(get.exitCode()).as(get.toString()).isZero();
            var published = new JsonObject(get.out()).getJsonObject("spec");
            var fromBootstrap = new JsonObject(Json.encode(PolicyEvents.render(event))).getJsonObject("spec");
            assertThat(published).as(kind + " " + event.getName()).isEqualTo(fromBootstrap);
        }
        var yaml = meshctl("get", "virtualservice", "reviews", "-o", "yaml");
        assertThat(yaml.out()).as("the canonical form is stored and printed").contains("apiVersion: meshlog.io/v1")
                .doesNotContain("networking.istio.io");
    }

    @Test
    void istioDocumentsAsWrittenPassApplyDryRun() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(ISTIO)) {
            files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(5);
        // Given: bookinfo's subsets are in force (the server checks routes against the rules it holds)
        var rules = meshctl("apply", "-f", ISTIO.resolve("destination-rules.yaml").toString());
        assertThat(rules.exitCode()).as(rules.toString()).isZero();
        for (var file : files) {
            // When
            var run = meshctl("apply", "--dry-run", "-f", file.toString());
            // Then
            assertThat(run.exitCode()).as(file + "\n" + run).isZero();
        }
        var warned = meshctl("apply", "--dry-run", "-f", ISTIO.resolve("design-traffic.yaml").toString());
        assertThat(warned.out()).as(warned.toString())
                .contains("ML0201 field accepted but not enforced by meshlog").contains("ML0202");
    }

    private MeshctlRun meshctl(String... args) {
        return MeshctlRun.run(policy.port(), TOKEN, args);
    }
}
