package io.meshlog.policy.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.policy.parse.DocumentParser;
import io.meshlog.policy.parse.YamlLimits;
import io.meshlog.schemas.v1.ExcludedWorkloadSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExclusionRulesTest {
    private static final String LEGACY = """
            apiVersion: meshlog.io/v1
            kind: ExcludedWorkload
            metadata: {name: legacy-billing, namespace: shop}
            spec:
              workload: legacy-billing
              services: [legacy-billing]
              endpoints: ["127.0.0.1:9400"]
              calls: [payments, ledger.finance]
              owner: billing-team
              reason: "vendor JVM 6 binary; cannot load the sidecar's CA bundle until the 2027 upgrade"
              since: "2026-01-15"
              reviewDate: "2026-06-30"
            """;

    @Test
    void aCompleteExclusionIsAcceptedAndBound() {
        var violations = parse(LEGACY);

        assertThat(violations).isEmpty();
        var spec = (ExcludedWorkloadSpec) new DocumentParser(YamlLimits.DEFAULT).parse(LEGACY, "default").get(0)
                .document().spec();
        assertThat(spec.getCalls()).containsExactly("payments", "ledger.finance");
        assertThat(spec.getReviewDate()).isEqualTo("2026-06-30");
    }

    @Test
    void aBlankReasonIsRefusedBecauseTheJustificationIsTheRecord() {
        var violations = parse(LEGACY.replace("reason: \"vendor JVM 6 binary; cannot load the sidecar's CA bundle "
                + "until the 2027 upgrade\"", "reason: \" \""));

        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("spec.reason");
            assertThat(v.message()).contains("must say why");
        });
    }

    @Test
    void aMissingReasonIsRefusedByTheBinder() {
        var violations = parse(LEGACY.replaceAll("(?m)^  reason:.*\\n", ""));

        assertThat(violations).anySatisfy(v -> assertThat(v.path()).isEqualTo("spec.reason"));
    }

    @Test
    void datesMustBeIsoAndTheReviewNotBeforeTheStart() {
        var violations = parse(LEGACY.replace("\"2026-06-30\"", "\"2025-12-31\"").replace("\"2026-01-15\"", "\"15.01.2026\""));

        assertThat(violations).extracting(Violation::path).containsExactly("spec.since");
        var reversed = parse(LEGACY.replace("\"2026-06-30\"", "\"2025-12-31\""));
        assertThat(reversed).singleElement().satisfies(v -> assertThat(v.message()).contains("must not be before spec.since"));
    }

    @Test
    void servicesNeedEndpointsBecauseNoSidecarRegistersThem() {
        var violations = parse(LEGACY.replace("endpoints: [\"127.0.0.1:9400\"]", "endpoints: [\"127.0.0.1\"]"));
        var none = parse(LEGACY.replaceAll("(?m)^  endpoints:.*\\n", ""));

        assertThat(violations).singleElement().satisfies(v -> assertThat(v.path()).isEqualTo("spec.endpoints[0]"));
        assertThat(none).singleElement().satisfies(v -> assertThat(v.message()).contains("no sidecar registers"));
    }

    private static List<Violation> parse(String yaml) {
        var parsed = new DocumentParser(YamlLimits.DEFAULT).parse(yaml, "default").get(0);
        if (parsed.document() == null) {
            return parsed.violations();
        }
        return SpecValidator.validate(parsed.document(), parsed::lineOf, ValidationContext.NONE);
    }
}
