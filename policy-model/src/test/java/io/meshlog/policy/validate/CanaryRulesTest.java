package io.meshlog.policy.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.policy.model.CanarySteps;
import io.meshlog.policy.model.IstioFields;
import io.meshlog.policy.parse.DocumentParser;
import io.meshlog.policy.parse.ParsedDocument;
import io.meshlog.policy.parse.YamlLimits;
import io.meshlog.schemas.v1.CanarySpec;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.Subset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CanaryRulesTest {
    private static final String CANARY = """
            apiVersion: meshlog.io/v1
            kind: Canary
            metadata: {name: orders}
            spec:
              targetRef: {name: orders}
              analysis:
                interval: 30s
                threshold: 2
                %s
                minRequests: 50
                metrics:
                - name: request-success-rate
                  thresholdRange: {min: 99}
                - name: request-duration
                  thresholdRange: {max: 500}
            """;

    @Test
    void aFlaggerShapedCanaryBindsWithItsDefaultsAndSteps() {
        var parsed = parse(CANARY.formatted("stepWeights: [1, 5, 25, 50]"));

        assertThat(parsed.violations()).isEmpty();
        var spec = (CanarySpec) parsed.document().spec();
        assertThat(spec.getStable()).isEqualTo("stable");
        assertThat(spec.getCanary()).isEqualTo("canary");
        assertThat(spec.getAnalysis().getInterval()).isEqualTo(30_000L);
        assertThat(CanarySteps.weights(spec.getAnalysis())).containsExactly(1, 5, 25, 50);
        assertThat(validate(parsed, ValidationContext.NONE)).isEmpty();
    }

    @Test
    void stepWeightClimbsToMaxWeightAsInFlagger() {
        var spec = (CanarySpec) parse(CANARY.formatted("stepWeight: 20\n    maxWeight: 50")).document().spec();

        assertThat(CanarySteps.weights(spec.getAnalysis())).containsExactly(20, 40);
    }

    @Test
    void abTestingHasOneWeightlessStepPerIteration() {
        var parsed = parse(CANARY.formatted("""
                iterations: 3
                    match:
                    - headers: {x-canary: {exact: "insider"}}"""));

        assertThat(validate(parsed, ValidationContext.NONE)).isEmpty();
        assertThat(CanarySteps.weights(((CanarySpec) parsed.document().spec()).getAnalysis())).containsExactly(0, 0, 0);
    }

    @Test
    void exactlyOneWayOfSteppingIsAccepted() {
        var none = validate(parse(CANARY.formatted("")), ValidationContext.NONE);
        var two = validate(parse(CANARY.formatted("stepWeight: 10\n    stepWeights: [10, 20]")), ValidationContext.NONE);

        assertThat(none).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("spec.analysis");
            assertThat(v.message()).contains("needs exactly one of stepWeight").endsWith("but has 0");
        });
        assertThat(two).singleElement().satisfies(v -> assertThat(v.message()).endsWith("but has 2"));
    }

    @Test
    void stepWeightsMustIncreaseWithinOneToAHundred() {
        var violations = validate(parse(CANARY.formatted("stepWeights: [10, 5, 101]")), ValidationContext.NONE);

        assertThat(violations).extracting(Violation::path, Violation::message).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("spec.analysis.stepWeights[1]",
                        "must be above the previous step's weight (10), but was 5"),
                org.assertj.core.groups.Tuple.tuple("spec.analysis.stepWeights[2]", "must be between 1 and 100, but was 101"));
    }

    @Test
    void unknownMetricsAndMetricsWithoutThresholdAreRefused() {
        var violations = validate(parse("""
                apiVersion: meshlog.io/v1
                kind: Canary
                metadata: {name: orders}
                spec:
                  targetRef: {name: orders}
                  analysis:
                    stepWeight: 10
                    metrics:
                    - {name: error-budget, thresholdRange: {max: 1}}
                    - {name: request-success-rate, thresholdRange: {}}
                    - {name: request-duration, thresholdRange: {min: 900, max: 100}}
                """), ValidationContext.NONE);

        assertThat(violations).extracting(Violation::path).containsExactlyInAnyOrder(
                "spec.analysis.metrics[0].name", "spec.analysis.metrics[1].thresholdRange",
                "spec.analysis.metrics[2].thresholdRange.max");
        assertThat(violations.get(0).message()).contains("must be request-success-rate, request-duration, "
                + "shadow-status-mismatch or shadow-body-mismatch");
    }

    @Test
    void aMirrorStageBindsWithItsShadowMetrics() {
        var yaml = CANARY.formatted("stepWeight: 10\n    mirror: true\n    mirrorWeight: 50").replace("""
                - name: request-duration
                  thresholdRange: {max: 500}
                """, """
                - name: request-duration
                  thresholdRange: {max: 500}
                - name: shadow-status-mismatch
                  thresholdRange: {max: 1}
                """);
        var parsed = parse(yaml);

        assertThat(validate(parsed, ValidationContext.NONE)).isEmpty();
        var analysis = ((io.meshlog.schemas.v1.CanarySpec) parsed.document().spec()).getAnalysis();
        assertThat(analysis.getMirror()).isTrue();
        assertThat(analysis.getMirrorWeight()).isEqualTo(50);
    }

    @Test
    void aShadowMetricWithoutTheMirrorStageAndAMirrorWithABMatchAreRefused() {
        var shadowOnly = CANARY.formatted("stepWeight: 10").replace("name: request-duration", "name: shadow-body-mismatch")
                .replace("{max: 500}", "{max: 5}");
        var abMirror = CANARY.formatted("match: [{headers: {x-canary: {exact: a}}}]\n    iterations: 2\n    mirror: true");

        assertThat(validate(parse(shadowOnly), ValidationContext.NONE)).extracting(Violation::path)
                .containsExactly("spec.analysis.metrics[1].name");
        assertThat(validate(parse(abMirror), ValidationContext.NONE)).extracting(Violation::path)
                .containsExactly("spec.analysis.mirror");
    }

    @Test
    void iterationsWithoutMatchAndMatchWithoutIterationsAreRefused() {
        var weighted = validate(parse(CANARY.formatted("stepWeight: 10\n    iterations: 4")), ValidationContext.NONE);
        var ab = validate(parse(CANARY.formatted("match: [{headers: {x-canary: {exact: a}}}]")), ValidationContext.NONE);

        assertThat(weighted).singleElement().satisfies(v -> assertThat(v.path()).isEqualTo("spec.analysis.iterations"));
        assertThat(ab).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("spec.analysis.iterations");
            assertThat(v.message()).startsWith("is required with match");
        });
    }

    @Test
    void subsetsAreCheckedAgainstTheTargetsDestinationRule() {
        var rule = DestinationRuleSpec.newBuilder().setHost("orders")
                .setSubsets(List.of(Subset.newBuilder().setName("stable").build())).build();

        var violations = validate(parse(CANARY.formatted("stepWeight: 10")), (namespace, host) ->
                ValidationContext.sameHost("orders", host, namespace) ? Optional.of(rule) : Optional.empty());

        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("spec.canary");
            assertThat(v.message()).isEqualTo("subset \"canary\" is not defined by the DestinationRule of host orders (it defines: stable)");
        });
    }

    @Test
    void webhooksAreAcceptedWithAKnownTypeAnHttpUrlAndATimeoutOfAtMostFiveSeconds() {
        var good = validate(parse(CANARY.formatted("stepWeight: 10\n    webhooks: [{name: gate, type: confirm-promotion, "
                + "url: 'http://127.0.0.1:9/gate', timeout: 3s, metadata: {team: shop}}]")), ValidationContext.NONE);
        var bad = validate(parse(CANARY.formatted("stepWeight: 10\n    webhooks: [{name: gate, type: confirm, url: 'ftp://x/', "
                + "timeout: 30s}, {name: gate, type: rollout, url: 'http://127.0.0.1:9/'}]")), ValidationContext.NONE);

        assertThat(good).isEmpty();
        assertThat(bad).extracting(Violation::path).containsExactlyInAnyOrder("spec.analysis.webhooks[0].type",
                "spec.analysis.webhooks[0].url", "spec.analysis.webhooks[0].timeout", "spec.analysis.webhooks[1].name");
    }

    @Test
    void sessionAffinityNamesExactlyOneHeaderOrCookieAndFlaggersOwnCookieIsRefused() {
        var header = validate(parse(CANARY.formatted("stepWeight: 10\n    sessionAffinity: {header: x-user}")), ValidationContext.NONE);
        var both = validate(parse(CANARY.formatted("stepWeight: 10\n    sessionAffinity: {header: x-user, cookie: s}")),
                ValidationContext.NONE);
        var flagger = parse(CANARY.formatted("stepWeight: 10\n    sessionAffinity: {cookie: s, cookieName: flagger-cookie}"));
        var maxAge = parse(CANARY.formatted("stepWeight: 10\n    sessionAffinity: {cookie: s, maxAge: 21600}"));

        assertThat(header).isEmpty();
        assertThat(both).singleElement().satisfies(v -> assertThat(v.path()).isEqualTo("spec.analysis.sessionAffinity"));
        assertThat(flagger.violations()).singleElement().satisfies(v -> {
            assertThat(v.isError()).isTrue();
            assertThat(v.message()).contains("meshlog sets no cookie of its own");
        });
        assertThat(maxAge.violations()).singleElement().satisfies(v -> {
            assertThat(v.isError()).isFalse();
            assertThat(v.code()).isEqualTo(IstioFields.CANARY);
        });
    }

    @Test
    void aTypoInACanaryFieldIsRefusedWithAHint() {
        var parsed = parse(CANARY.formatted("stepWeigth: 10"));

        assertThat(parsed.violations()).singleElement().satisfies(v ->
                assertThat(v.message()).isEqualTo("unknown field \"stepWeigth\" (did you mean \"stepWeight\"?)"));
    }

    private static ParsedDocument parse(String yaml) {
        return new DocumentParser(YamlLimits.DEFAULT).parse(yaml, "default").get(0);
    }

    private static List<Violation> validate(ParsedDocument parsed, ValidationContext context) {
        assertThat(parsed.violations()).isEmpty();
        return SpecValidator.validate(parsed.document(), parsed::lineOf, context);
    }
}
