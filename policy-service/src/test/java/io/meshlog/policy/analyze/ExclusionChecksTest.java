package io.meshlog.policy.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.policy.parse.DocumentParser;
import io.meshlog.policy.parse.YamlLimits;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExclusionChecksTest {
    private static final Clock JUNE_2026 = Clock.fixed(Instant.parse("2026-06-15T10:00:00Z"), ZoneOffset.UTC);
    private static final String LEGACY = """
            apiVersion: meshlog.io/v1
            kind: ExcludedWorkload
            metadata: {name: legacy-billing, namespace: shop}
            spec:
              workload: legacy-billing
              calls: [payments]
              owner: billing-team
              reason: "vendor binary"
              since: "2026-01-15"
              reviewDate: "%s"
            ---
            """;
    private static final String STRICT = """
            apiVersion: meshlog.io/v1
            kind: PeerAuthentication
            metadata: {name: default, namespace: shop}
            spec: {mtls: {mode: STRICT}}
            ---
            """;
    private static final String PAYMENTS_PERMISSIVE = """
            apiVersion: meshlog.io/v1
            kind: PeerAuthentication
            metadata: {name: payments-legacy, namespace: shop}
            spec:
              selector: {matchLabels: {app: payments}}
              mtls: {mode: PERMISSIVE}
            ---
            """;
    private static final String PAYMENTS_ALLOW = """
            apiVersion: meshlog.io/v1
            kind: AuthorizationPolicy
            metadata: {name: payments, namespace: shop}
            spec:
              selector: {matchLabels: {app: payments}}
              action: ALLOW
              rules:
              - from: [{source: {principals: ["cluster.local/ns/shop/sa/orders"]}}]
            """;

    @Test
    void strictMtlsInTheCalledNamespaceCutsOffTheExcludedCaller() {
        var findings = analyze(LEGACY.formatted("2026-12-31") + STRICT);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(Codes.EXCLUDED_CALLER_CUT_OFF);
            assertThat(f.severity()).isEqualTo(Finding.Severity.ERROR);
            assertThat(f.resource()).isEqualTo("PeerAuthentication shop/default");
            assertThat(f.message()).contains("excluded workload legacy-billing").contains("payments.shop");
        });
    }

    @Test
    void aPermissivePolicyForTheCalleeWinsOverTheNamespacesStrictOne() {
        var findings = analyze(LEGACY.formatted("2026-12-31") + STRICT + PAYMENTS_PERMISSIVE);

        assertThat(findings).isEmpty();
    }

    @Test
    void anAllowOnlyPolicyAdmittingOnlyMeshIdentitiesCutsOffTheExcludedCaller() {
        var findings = analyze(LEGACY.formatted("2026-12-31") + PAYMENTS_ALLOW);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(Codes.EXCLUDED_CALLER_CUT_OFF);
            assertThat(f.resource()).isEqualTo("AuthorizationPolicy shop/payments");
        });
    }

    @Test
    void anAllowRuleAskingNothingOfTheCallersIdentityAdmitsIt() {
        var findings = analyze(LEGACY.formatted("2026-12-31") + PAYMENTS_ALLOW
                + "  - to: [{operation: {paths: [\"/invoices/*\"]}}]\n");

        assertThat(findings).isEmpty();
    }

    @Test
    void aReviewDateInThePastIsWarnedWithItsAgeAndOneInTheFutureIsNot() {
        var overdue = analyze(LEGACY.formatted("2026-06-01"));
        var due = analyze(LEGACY.formatted("2026-06-15"));

        assertThat(overdue).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(Codes.EXCLUSION_REVIEW_OVERDUE);
            assertThat(f.severity()).isEqualTo(Finding.Severity.WARNING);
            assertThat(f.message()).contains("due for review on 2026-06-01, 14 day(s) ago");
        });
        assertThat(due).isEmpty();
    }

    private static List<Finding> analyze(String yaml) {
        var docs = new DocumentParser(YamlLimits.DEFAULT).parse(yaml, "default").stream()
                .map(p -> p.document()).filter(java.util.Objects::nonNull).toList();
        return new Analyzer(null, JUNE_2026).analyze(docs);
    }
}
