package io.meshlog.policy.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * How meshctl shows the registry of excluded workloads: with their age (how long the workload has
 * run without a sidecar) and how their review stands, since an exclusion nobody looks at again
 * becomes permanent.
 */
final class Exclusions {
    private Exclusions() {}

    static void table(List<JsonObject> items, LocalDate today, PrintWriter out) {
        var table = new Table("NAMESPACE", "NAME", "WORKLOAD", "OWNER", "AGE", "REVIEW", "REASON");
        for (var item : items) {
            var metadata = item.getJsonObject("metadata");
            var spec = item.getJsonObject("spec", new JsonObject());
            table.row(metadata.getString("namespace"), metadata.getString("name"), spec.getString("workload"),
                    spec.getString("owner"), age(spec.getString("since"), today), review(spec.getString("reviewDate"), today),
                    spec.getString("reason"));
        }
        table.print(out);
    }

    /** The lines {@code describe} adds under the document. */
    static void describe(JsonObject item, LocalDate today, PrintWriter out) {
        var spec = item.getJsonObject("spec", new JsonObject());
        out.println();
        out.println("Exclusion:");
        out.println("  " + spec.getString("workload") + " runs without a sidecar since " + spec.getString("since")
                + " (" + age(spec.getString("since"), today) + "), owner " + spec.getString("owner"));
        out.println("  review: " + spec.getString("reviewDate") + " (" + review(spec.getString("reviewDate"), today) + ")");
        out.println("  reason: " + spec.getString("reason"));
    }

    /** Days since {@code since}, e.g. {@code 142d}. */
    static String age(String since, LocalDate today) {
        var date = parse(since);
        return date == null ? "?" : ChronoUnit.DAYS.between(date, today) + "d";
    }

    /** {@code in 12d}, {@code today} or {@code OVERDUE 3d}. */
    static String review(String reviewDate, LocalDate today) {
        var date = parse(reviewDate);
        if (date == null) {
            return "?";
        }
        var days = ChronoUnit.DAYS.between(today, date);
        return days > 0 ? "in " + days + "d" : days == 0 ? "today" : "OVERDUE " + -days + "d";
    }

    private static LocalDate parse(String text) {
        try {
            return text == null ? null : LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
