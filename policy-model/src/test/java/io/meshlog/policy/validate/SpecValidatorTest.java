package io.meshlog.policy.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.policy.parse.DocumentParser;
import io.meshlog.policy.parse.YamlLimits;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.Subset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
    private static final String ROUTE = """
            apiVersion: meshlog.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination: {host: reviews.default.svc.cluster.local, subset: v2}
                timeout: 1s
                retries: {attempts: 3, perTryTimeout: 500ms}
            """;

    @Test
    void retriesOutlastingTheTimeoutAreAWarningNotAnError() {
        var violations = validate(ROUTE, ValidationContext.NONE);

        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.isError()).isFalse();
            assertThat(v.path()).isEqualTo("spec.http[0].retries.perTryTimeout");
            assertThat(v.line()).isEqualTo(10);
            assertThat(v.message()).contains("(1.5s) exceeds the route timeout (1s)");
        });
    }

    @Test
    void subsetsAreCheckedAgainstTheKnownDestinationRuleOfTheSameServiceByAnyName() {
        var rule = DestinationRuleSpec.newBuilder().setHost("reviews")
                .setSubsets(List.of(Subset.newBuilder().setName("v1").build())).build();

        var violations = validate(ROUTE, (namespace, host) ->
                ValidationContext.sameHost("reviews", host, namespace) ? Optional.of(rule) : Optional.empty());

        assertThat(violations).filteredOn(Violation::isError).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("spec.http[0].route[0].destination.subset");
            assertThat(v.message()).isEqualTo("subset \"v2\" is not defined by the DestinationRule of host reviews (it defines: v1)");
        });
    }

    @Test
    void reportsEveryViolationOfADocumentAtOnce() {
        var violations = validate("""
                apiVersion: meshlog.io/v1
                kind: DestinationRule
                metadata: {name: Reviews, namespace: shop_1, labels: {"team": "a b"}}
                spec:
                  host: reviews
                  trafficPolicy:
                    outlierDetection: {maxEjectionPercent: 101, baseEjectionTime: 30s, maxEjectionTime: 10s}
                """, ValidationContext.NONE);

        assertThat(violations).extracting(Violation::path).containsExactlyInAnyOrder("metadata.name", "metadata.namespace",
                "metadata.labels.team", "spec.trafficPolicy.outlierDetection.maxEjectionPercent",
                "spec.trafficPolicy.outlierDetection.maxEjectionTime");
    }

    private static List<Violation> validate(String yaml, ValidationContext context) {
        var parsed = new DocumentParser(YamlLimits.DEFAULT).parse(yaml, "default").get(0);
        assertThat(parsed.violations()).isEmpty();
        return SpecValidator.validate(parsed.document(), parsed::lineOf, context);
    }

    private static String slo(String window) {
        return """
                apiVersion: meshlog.io/v1
                kind: ServiceLevelObjective
                metadata: {name: orders}
                spec: {service: orders, target: 99.9, window: %s}
                """.formatted(window);
    }

    @Test
    void sloWindowsThePipelineCannotHonourAreRefusedWithTheReason() {
        assertThat(validate(slo("30d"), ValidationContext.NONE)).isEmpty();
        assertThat(validate(slo("90m"), ValidationContext.NONE)).singleElement().satisfies(v -> {
            assertThat(v.isError()).isTrue();
            assertThat(v.path()).isEqualTo("spec.window");
            assertThat(v.message()).contains("whole number of hours from 1h to 90d").contains("but was 90m");
        });
        assertThat(validate(slo("120d"), ValidationContext.NONE)).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("but was 120d"));
    }

    @Test
    void ejectionPercentagesAbove100AreErrors() {
        var rule = """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec:
                  host: reviews
                  trafficPolicy: {outlierDetection: {maxEjectionPercent: 101}}
                """;
        assertThat(validate(rule, ValidationContext.NONE)).singleElement().satisfies(v -> {
            assertThat(v.isError()).isTrue();
            assertThat(v.path()).isEqualTo("spec.trafficPolicy.outlierDetection.maxEjectionPercent");
        });
    }

    @Test
    void istiosTelemetryDocumentIsAcceptedAndANonLiteralTagValueIsWarnedWithItsCode() {
        var telemetry = """
                apiVersion: telemetry.istio.io/v1
                kind: Telemetry
                metadata: {name: mesh-default, namespace: meshlog-system}
                spec:
                  tracing:
                  - providers: [{name: otel}]
                    randomSamplingPercentage: 25.5
                    customTags:
                      team: {literal: {value: payments}}
                      user: {header: {name: x-user, defaultValue: anonymous}}
                      pod: {environment: {name: HOSTNAME}}
                  metrics:
                  - providers: [{name: prometheus}]
                    overrides:
                    - match: {metric: REQUEST_COUNT, mode: CLIENT}
                      disabled: true
                    - tagOverrides:
                        request_protocol: {operation: REMOVE}
                        mesh: {value: "'meshlog'"}
                        host: {operation: UPSERT, value: request.host}
                  accessLogging:
                  - disabled: false
                """;
        var parsed = new DocumentParser(YamlLimits.DEFAULT).parse(telemetry, "default").get(0);
        var violations = SpecValidator.validate(parsed.document(), parsed::lineOf, ValidationContext.NONE);

        assertThat(parsed.violations()).as("the provider names are warned while binding").hasSize(2)
                .allSatisfy(v -> assertThat(v.code()).isEqualTo("ML0210"))
                .extracting(Violation::path).containsExactly("spec.tracing[0].providers", "spec.metrics[0].providers");
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.isError()).isFalse();
            assertThat(v.code()).isEqualTo("ML0210");
            assertThat(v.path()).isEqualTo("spec.metrics[0].overrides[1].tagOverrides.host.value");
        });
    }

    @Test
    void theFormerFlatTelemetryFormIsRefusedWithTheIstioSpellingToUse() {
        var violations = validate("""
                apiVersion: meshlog.io/v1
                kind: Telemetry
                metadata: {name: t}
                spec: {randomSamplingPercentage: 10, customTags: {team: a}, disableRequestTelemetry: true}
                """, ValidationContext.NONE);

        assertThat(violations).allMatch(Violation::isError).extracting(Violation::path).containsExactlyInAnyOrder(
                "spec.randomSamplingPercentage", "spec.customTags", "spec.disableRequestTelemetry");
        assertThat(violations.get(0).message()).contains("tracing: [{randomSamplingPercentage: 10.0}]");
        assertThat(violations.get(2).message()).contains("telemetry to Kafka is meshlog's data plane contract");
    }

    @Test
    void telemetryRulesReportEachProblemAtItsPath() {
        var violations = validate("""
                apiVersion: telemetry.istio.io/v1
                kind: Telemetry
                metadata: {name: t}
                spec:
                  tracing:
                  - randomSamplingPercentage: 101
                    customTags:
                      both: {literal: {value: a}, header: {name: x-a}}
                  - randomSamplingPercentage: 1
                  metrics:
                  - overrides:
                    - tagOverrides:
                        "bad-label": {operation: REMOVE}
                        mesh: {operation: UPSERT}
                """, ValidationContext.NONE);

        assertThat(violations).allMatch(Violation::isError).extracting(Violation::path).containsExactlyInAnyOrder(
                "spec.tracing", "spec.tracing[0].randomSamplingPercentage", "spec.tracing[0].customTags.both",
                "spec.metrics[0].overrides[0].tagOverrides.bad-label", "spec.metrics[0].overrides[0].tagOverrides.mesh.value");
    }

    @Test
    void istiosSidecarIsBoundWithItsLabelsSelectorAndListenerFieldsAreWarnedOrRefused() {
        var sidecar = """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: cart, namespace: shop}
                spec:
                  workloadSelector: {labels: {app: cart}}
                  egress:
                  - hosts: ["./*", "istio-system/*"]
                    captureMode: DEFAULT
                """;
        var parsed = new DocumentParser(YamlLimits.DEFAULT).parse(sidecar, "default").get(0);
        var violations = SpecValidator.validate(parsed.document(), parsed::lineOf, ValidationContext.NONE);

        assertThat(parsed.violations()).singleElement().satisfies(v -> {
            assertThat(v.isError()).isFalse();
            assertThat(v.code()).isEqualTo("ML0212");
        });
        assertThat(violations).isEmpty();
        var spec = (io.meshlog.schemas.v1.SidecarSpec) parsed.document().spec();
        assertThat(spec.getWorkloadSelector().getMatchLabels()).containsEntry("app", "cart");
        assertThat(spec.getEgress().get(0).getHosts()).containsExactly("./*", "istio-system/*");
    }

    @Test
    void aSidecarHostWithoutNamespaceAnEmptyEgressAndOutboundTrafficPolicyAreRefused() {
        var sidecar = """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: default}
                spec:
                  egress:
                  - hosts: [reviews]
                """;
        var parsed = new DocumentParser(YamlLimits.DEFAULT).parse(sidecar, "shop").get(0);
        assertThat(SpecValidator.validate(parsed.document(), parsed::lineOf, ValidationContext.NONE))
                .singleElement().satisfies(v -> {
                    assertThat(v.isError()).isTrue();
                    assertThat(v.path()).isEqualTo("spec.egress[0].hosts[0]");
                });
        var empty = new DocumentParser(YamlLimits.DEFAULT).parse(
                "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: x}\nspec: {}\n", "shop").get(0);
        assertThat(SpecValidator.validate(empty.document(), empty::lineOf, ValidationContext.NONE))
                .extracting(Violation::path).containsExactly("spec.egress");
        var passthrough = new DocumentParser(YamlLimits.DEFAULT).parse("""
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: x}
                spec:
                  egress: [{hosts: ["./*"]}]
                  outboundTrafficPolicy: {mode: ALLOW_ANY}
                """, "shop").get(0);
        assertThat(passthrough.violations()).anySatisfy(v -> {
            assertThat(v.isError()).isTrue();
            assertThat(v.path()).isEqualTo("spec.outboundTrafficPolicy");
        });
    }
}
