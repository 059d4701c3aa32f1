package io.meshlog.policy.validate;

import io.meshlog.policy.model.CelLiterals;
import io.meshlog.policy.model.IstioFields;
import io.meshlog.schemas.v1.MetricsOverride;
import io.meshlog.schemas.v1.TagOperation;
import io.meshlog.schemas.v1.TelemetrySpec;
import io.meshlog.schemas.v1.TelemetryTracing;
import io.meshlog.schemas.v1.TracingCustomTag;
import java.util.regex.Pattern;

/** The rules of a Telemetry document beyond its types (Istio's Telemetry API). */
final class TelemetryRules {
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private TelemetryRules() {}

    static void telemetry(TelemetrySpec t, Checks checks) {
        flatForm(t, checks);
        checks.require(t.getTracing().size() <= 1, "spec.tracing",
                "must have at most one entry: meshlog has one tracer, but found " + t.getTracing().size());
        checks.require(t.getAccessLogging().size() <= 1, "spec.accessLogging",
                "must have at most one entry: meshlog has one access log, but found " + t.getAccessLogging().size());
        for (int i = 0; i < t.getTracing().size(); i++) {
            tracing(t.getTracing().get(i), "spec.tracing[" + i + "]", checks);
        }
        for (int i = 0; i < t.getMetrics().size(); i++) {
            var overrides = t.getMetrics().get(i).getOverrides();
            for (int j = 0; j < overrides.size(); j++) {
                override(overrides.get(j), "spec.metrics[" + i + "].overrides[" + j + "]", checks);
            }
        }
    }

    /** The fields of meshlog's pre-Istio form are refused, never read: their Istio places say the same. */
    private static void flatForm(TelemetrySpec t, Checks checks) {
        checks.require(t.getRandomSamplingPercentage() == null, "spec.randomSamplingPercentage",
                "is meshlog's former flat form and is not read: write Istio's "
                        + "tracing: [{randomSamplingPercentage: " + t.getRandomSamplingPercentage() + "}]");
        checks.require(t.getCustomTags().isEmpty(), "spec.customTags",
                "is meshlog's former flat form and is not read: write Istio's "
                        + "tracing: [{customTags: {<name>: {literal: {value: <value>}}}}]");
        checks.require(!t.getDisableRequestTelemetry(), "spec.disableRequestTelemetry",
                "is not supported: telemetry to Kafka is meshlog's data plane contract and stays on; to turn off "
                        + "the Prometheus request metrics write metrics: [{overrides: [{disabled: true}]}]");
    }

    private static void tracing(TelemetryTracing tracing, String path, Checks checks) {
        checks.range(tracing.getRandomSamplingPercentage(), 0, 100, path + ".randomSamplingPercentage");
        tracing.getCustomTags().forEach((name, tag) -> customTag(name, tag, path + ".customTags." + name, checks));
    }

    private static void customTag(String name, TracingCustomTag tag, String path, Checks checks) {
        checks.require(!name.isBlank(), path, "a custom tag needs a name");
        int kinds = (tag.getLiteral() != null ? 1 : 0) + (tag.getHeader() != null ? 1 : 0)
                + (tag.getEnvironment() != null ? 1 : 0);
        checks.require(kinds == 1, path, "must set exactly one of literal, header or environment, but set " + kinds);
        if (tag.getHeader() != null) {
            checks.require(HEADER.matcher(tag.getHeader().getName()).matches(), path + ".header.name",
                    "must be an HTTP header name, but was \"" + tag.getHeader().getName() + "\"");
        }
        if (tag.getEnvironment() != null) {
            checks.require(!tag.getEnvironment().getName().isBlank(), path + ".environment.name", "must not be empty");
        }
    }

    private static void override(MetricsOverride override, String path, Checks checks) {
        override.getTagOverrides().forEach((label, tag) -> {
            var tagPath = path + ".tagOverrides." + label;
            checks.require(LABEL.matcher(label).matches(), tagPath,
                    "must be a Prometheus label name (letters, digits and '_', not starting with a digit)");
            if (tag.getOperation() == TagOperation.UPSERT) {
                if (tag.getValue() == null) {
                    checks.error(tagPath + ".value", "is required for UPSERT (a string literal such as \"'v1'\")");
                } else if (CelLiterals.stringLiteral(tag.getValue()).isEmpty()) {
                    checks.notEnforced(tagPath + ".value", IstioFields.TELEMETRY, "meshlog applies string literals "
                            + "such as 'v1' only; the CEL expression " + tag.getValue() + " is not evaluated and the label "
                            + "keeps its value");
                }
            }
        });
    }
}
