package io.meshlog.policy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExclusionsTest {
    private static final LocalDate TODAY = LocalDate.parse("2026-06-15");
    private static final JsonObject LEGACY = new JsonObject()
            .put("metadata", new JsonObject().put("namespace", "shop").put("name", "legacy-billing"))
            .put("spec", new JsonObject().put("workload", "legacy-billing").put("owner", "billing-team")
                    .put("reason", "vendor binary").put("since", "2026-01-15").put("reviewDate", "2026-06-12"));

    @Test
    void theTableShowsEachExclusionsAgeAndAnOverdueReview() {
        var text = new StringWriter();

        Exclusions.table(List.of(LEGACY), TODAY, new PrintWriter(text, true));

        assertThat(text.toString()).contains("WORKLOAD").contains("AGE").contains("REVIEW")
                .containsPattern("legacy-billing +legacy-billing +billing-team +151d +OVERDUE 3d +vendor binary");
    }

    @Test
    void describeSaysSinceWhenWhoAndWhy() {
        var text = new StringWriter();

        Exclusions.describe(LEGACY, LocalDate.parse("2026-06-01"), new PrintWriter(text, true));

        assertThat(text.toString())
                .contains("legacy-billing runs without a sidecar since 2026-01-15 (137d), owner billing-team")
                .contains("review: 2026-06-12 (in 11d)").contains("reason: vendor binary");
    }
}
