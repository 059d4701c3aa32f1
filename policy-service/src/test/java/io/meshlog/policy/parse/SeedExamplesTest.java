package io.meshlog.policy.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.policy.model.DocumentRenderer;
import io.meshlog.policy.validate.SpecValidator;
import io.meshlog.policy.validate.ValidationContext;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.LoadBalancer;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.avro.generic.IndexedRecord;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;

class SeedExamplesTest {
    private final DocumentParser parser = new DocumentParser(YamlLimits.DEFAULT);

    @Test
    void seedDestinationRuleParsesWithIstioFieldNames() throws Exception {
        var parsed = parseOne("examples/reviews-destinationrule.yaml");

        assertThat(parsed.violations()).isEmpty();
        var spec = (DestinationRuleSpec) parsed.document().spec();
        assertThat(spec.getHost()).isEqualTo("reviews");
        assertThat(spec.getSubsets()).extracting(s -> s.getName()).containsExactly("v1", "v2");
        assertThat(spec.getTrafficPolicy().getLoadBalancer()).isEqualTo(LoadBalancer.LEAST_REQUEST);
        assertThat(spec.getTrafficPolicy().getConnectionPool().getConnectTimeout()).isEqualTo(250L);
        assertThat(spec.getTrafficPolicy().getConnectionPool().getHttp2MaxRequests()).isEqualTo(200);
        assertThat(spec.getTrafficPolicy().getOutlierDetection().getBaseEjectionTime()).isEqualTo(30_000L);
        assertThat(SpecValidator.validate(parsed.document(), parsed::lineOf, ValidationContext.NONE)).isEmpty();
    }

    @Test
    void seedVirtualServiceParsesAndValidatesAgainstTheDestinationRule() throws Exception {
        var dr = (DestinationRuleSpec) parseOne("examples/reviews-destinationrule.yaml").document().spec();
        var parsed = parseOne("examples/reviews-virtualservice.yaml");

        assertThat(parsed.violations()).isEmpty();
        var spec = (VirtualServiceSpec) parsed.document().spec();
        var canary = spec.getHttp().get(0);
        assertThat(canary.getMatch().get(0).getHeaders().get("x-canary-user").getExact()).isEqualTo("true");
        assertThat(canary.getRoute().get(0).getDestination().getSubset()).isEqualTo("v2");
        var split = spec.getHttp().get(1);
        assertThat(split.getRoute()).extracting(r -> r.getWeight()).containsExactly(90, 10);
        assertThat(split.getRetries().getRetryOn()).containsExactly("5xx", "connect-failure");
        assertThat(split.getRetries().getPerTryTimeout()).isEqualTo(500L);
        assertThat(split.getFault().getDelay().getPercentage()).isEqualTo(0.5);
        assertThat(split.getFault().getDelay().getFixedDelay()).isEqualTo(1500L);
        assertThat(SpecValidator.validate(parsed.document(), parsed::lineOf, (ns, host) -> Optional.of(dr))).isEmpty();
    }

    @Test
    void everyKindOfTheMultiDocumentExampleParses() throws Exception {
        var documents = parser.parse(Files.readString(Path.of("examples/all-kinds.yaml")), "default");

        assertThat(documents).hasSize(7).allSatisfy(d -> assertThat(d.violations()).isEmpty());
        assertThat(documents).allSatisfy(d -> assertThat(
                SpecValidator.validate(d.document(), d::lineOf, ValidationContext.NONE)).isEmpty());
    }

    @Test
    void theDemosCanaryValidatesAgainstTheDemosDestinationRule() throws Exception {
        var demo = Path.of("..", "meshlog-dev", "src", "main", "resources", "demo");
        var dr = parser.parse(Files.readString(demo.resolve("policies.yaml")), "default").stream()
                .filter(d -> d.document().spec() instanceof DestinationRuleSpec r && r.getHost().equals("orders"))
                .map(d -> (DestinationRuleSpec) d.document().spec()).findFirst().orElseThrow();
        var canary = parseOne(demo.resolve("canary.yaml").toString());

        assertThat(canary.violations()).isEmpty();
        assertThat(SpecValidator.validate(canary.document(), canary::lineOf, (ns, host) -> Optional.of(dr))).isEmpty();
    }

    @Test
    void renderedDocumentsParseBackToTheSameSpec() throws Exception {
        for (var file : new String[] {"examples/reviews-destinationrule.yaml", "examples/reviews-virtualservice.yaml",
                "examples/all-kinds.yaml"}) {
            for (var parsed : parser.parse(Files.readString(Path.of(file)), "default")) {
                var tree = DocumentRenderer.document(parsed.document(), java.util.Map.of());
                var yaml = new Dump(DumpSettings.builder().build()).dumpToString(tree);

                var again = parser.parse(yaml, "default").get(0);

                assertThat(again.violations()).as(yaml).isEmpty();
                assertThat(again.document().spec()).as(file).isEqualTo(parsed.document().spec());
                assertThat(((IndexedRecord) again.document().spec()).getSchema())
                        .isEqualTo(((IndexedRecord) parsed.document().spec()).getSchema());
            }
        }
    }

    @Test
    void jsonDocumentsParseWithTheirLinesEvenWhenIndentedWithTabs() {
        var json = "{\n\t\"apiVersion\": \"meshlog.io/v1\",\n\t\"kind\": \"RetryBudget\",\n"
                + "\t\"metadata\": {\"name\": \"cart\"},\n\t\"spec\": {\n\t\t\"host\": \"cart\",\n\t\t\"ttl\": 10\n\t}\n}\n";

        var parsed = parser.parse(json, "shop").get(0);

        assertThat(parsed.violations()).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("spec.ttl");
            assertThat(v.line()).isEqualTo(7);
            assertThat(v.message()).startsWith("must be a duration");
        });
    }

    private ParsedDocument parseOne(String file) throws Exception {
        var documents = parser.parse(Files.readString(Path.of(file)), "default");
        assertThat(documents).hasSize(1);
        return documents.get(0);
    }
}
