package io.meshlog.policy.validate;

import io.meshlog.policy.model.CanarySteps;
import io.meshlog.schemas.v1.CanaryAnalysis;
import io.meshlog.schemas.v1.CanarySpec;
import java.util.HashSet;
import java.util.Set;

/**
 * The rules of Canaries: one way of stepping (stepWeight/maxWeight, stepWeights or A/B match with
 * iterations), increasing weights within 1..100, the two known metrics with a usable threshold
 * range, and subsets the target's DestinationRule defines.
 */
final class CanaryRules {
    private static final Set<String> METRICS = Set.of(CanarySteps.SUCCESS_RATE, CanarySteps.DURATION,
            CanarySteps.SHADOW_STATUS_MISMATCH, CanarySteps.SHADOW_BODY_MISMATCH);

    private static final int MAX_WEBHOOKS = 8;

    private CanaryRules() {}

    static void canary(CanarySpec canary, String namespace, Checks checks, ValidationContext context) {
        var service = canary.getTargetRef().getName();
        checks.require(!service.isBlank(), "spec.targetRef.name", "must name the service to release");
        checks.dnsLabel(canary.getStable(), "spec.stable");
        checks.dnsLabel(canary.getCanary(), "spec.canary");
        checks.require(!canary.getStable().equals(canary.getCanary()), "spec.canary",
                "must differ from spec.stable, but both are \"" + canary.getStable() + "\"");
        if (!service.isBlank()) {
            context.destinationRule(namespace, service).ifPresent(dr -> {
                var defined = dr.getSubsets().stream().map(s -> s.getName()).toList();
                checks.require(defined.contains(canary.getStable()), "spec.stable", "subset \"" + canary.getStable()
                        + "\" is not defined by the DestinationRule of host " + dr.getHost() + " (it defines: "
                        + String.join(", ", defined) + ")");
                checks.require(defined.contains(canary.getCanary()), "spec.canary", "subset \"" + canary.getCanary()
                        + "\" is not defined by the DestinationRule of host " + dr.getHost() + " (it defines: "
                        + String.join(", ", defined) + ")");
            });
        }
        analysis(canary.getAnalysis(), checks);
    }

    private static void analysis(CanaryAnalysis analysis, Checks checks) {
        checks.atLeast(analysis.getInterval(), 1, "spec.analysis.interval");
        checks.atLeast(analysis.getThreshold(), 1, "spec.analysis.threshold");
        checks.atLeast(analysis.getMinRequests(), 1, "spec.analysis.minRequests");
        stepping(analysis, checks);
        checks.range(analysis.getMirrorWeight(), 1, 100, "spec.analysis.mirrorWeight");
        checks.require(analysis.getMirrorWeight() == null || analysis.getMirror(), "spec.analysis.mirrorWeight",
                "needs spec.analysis.mirror: true");
        checks.require(!analysis.getMirror() || !CanarySteps.abTesting(analysis), "spec.analysis.mirror",
                "cannot be used together with match (A/B testing sends real matching requests to the canary)");
        var affinity = analysis.getSessionAffinity();
        if (affinity != null) {
            RouteActionRules.stickyKey(affinity.getHeader(), affinity.getCookie(), "spec.analysis.sessionAffinity", checks);
        }
        webhooks(analysis, checks);
        var names = new HashSet<String>();
        for (int i = 0; i < analysis.getMetrics().size(); i++) {
            var metric = analysis.getMetrics().get(i);
            var path = "spec.analysis.metrics[" + i + "]";
            if (!METRICS.contains(metric.getName())) {
                checks.error(path + ".name", "must be " + CanarySteps.SUCCESS_RATE + ", " + CanarySteps.DURATION + ", "
                        + CanarySteps.SHADOW_STATUS_MISMATCH + " or " + CanarySteps.SHADOW_BODY_MISMATCH
                        + " (metric templates are not supported), but was \"" + metric.getName() + "\"");
                continue;
            }
            if (CanarySteps.shadowMetric(metric.getName()) && !analysis.getMirror()) {
                checks.error(path + ".name", metric.getName() + " is checked in the mirror stage only: set "
                        + "spec.analysis.mirror: true, or it would never be checked");
            }
            checks.require(names.add(metric.getName()), path + ".name", "duplicate metric \"" + metric.getName() + "\"");
            var range = metric.getThresholdRange();
            checks.require(range.getMin() != null || range.getMax() != null, path + ".thresholdRange",
                    "needs min, max or both: a metric without a threshold would always pass");
            if (CanarySteps.SUCCESS_RATE.equals(metric.getName()) || CanarySteps.shadowMetric(metric.getName())) {
                checks.range(range.getMin(), 0, 100, path + ".thresholdRange.min");
                checks.range(range.getMax(), 0, 100, path + ".thresholdRange.max");
            } else {
                checks.atLeast(range.getMin(), 0, path + ".thresholdRange.min");
                checks.atLeast(range.getMax(), 0, path + ".thresholdRange.max");
            }
            if (range.getMin() != null && range.getMax() != null) {
                checks.require(range.getMin() <= range.getMax(), path + ".thresholdRange.max",
                        "must not be below min (" + range.getMin() + ")");
            }
        }
    }

    private static void webhooks(CanaryAnalysis analysis, Checks checks) {
        var hooks = analysis.getWebhooks();
        checks.require(hooks.size() <= MAX_WEBHOOKS, "spec.analysis.webhooks", "at most " + MAX_WEBHOOKS
                + " webhooks (each call runs on a stream thread), but has " + hooks.size());
        var names = new HashSet<String>();
        for (int i = 0; i < hooks.size(); i++) {
            var hook = hooks.get(i);
            var path = "spec.analysis.webhooks[" + i + "]";
            checks.require(!hook.getName().isBlank() && names.add(hook.getName()), path + ".name",
                    "must be a non-empty name unique among the webhooks, but was \"" + hook.getName() + "\"");
            checks.require(CanarySteps.WEBHOOK_TYPES.contains(hook.getType()), path + ".type", "must be one of "
                    + String.join(", ", CanarySteps.WEBHOOK_TYPES) + ", but was \"" + hook.getType() + "\"");
            checks.require(httpUrl(hook.getUrl()), path + ".url",
                    "must be an absolute http or https URL, but was \"" + hook.getUrl() + "\"");
            checks.range(hook.getTimeout(), 1, CanarySteps.MAX_WEBHOOK_TIMEOUT_MILLIS, path + ".timeout");
        }
    }

    private static boolean httpUrl(String url) {
        try {
            var uri = new java.net.URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static void stepping(CanaryAnalysis analysis, Checks checks) {
        var ab = CanarySteps.abTesting(analysis);
        var weighted = analysis.getStepWeight() != null || analysis.getMaxWeight() != null;
        var listed = !analysis.getStepWeights().isEmpty();
        var ways = (ab ? 1 : 0) + (weighted ? 1 : 0) + (listed ? 1 : 0);
        if (ways != 1) {
            checks.error("spec.analysis", "needs exactly one of stepWeight (with maxWeight), stepWeights or match "
                    + "(A/B testing with iterations), but has " + ways);
            return;
        }
        if (ab) {
            RouteRules.matches(analysis.getMatch(), "spec.analysis.match", checks);
            checks.require(analysis.getIterations() != null, "spec.analysis.iterations",
                    "is required with match: the number of passing checks before promotion");
            checks.atLeast(analysis.getIterations(), 1, "spec.analysis.iterations");
            return;
        }
        checks.require(analysis.getIterations() == null, "spec.analysis.iterations",
                "only applies with match (A/B testing); weighted canaries step through their weights");
        if (weighted) {
            checks.require(analysis.getStepWeight() != null, "spec.analysis.stepWeight", "is required with maxWeight");
            checks.range(analysis.getStepWeight(), 1, 100, "spec.analysis.stepWeight");
            checks.range(analysis.getMaxWeight(), 1, 100, "spec.analysis.maxWeight");
            if (analysis.getStepWeight() != null && analysis.getMaxWeight() != null) {
                checks.require(analysis.getStepWeight() <= analysis.getMaxWeight(), "spec.analysis.stepWeight",
                        "must not exceed maxWeight (" + analysis.getMaxWeight() + ")");
            }
            return;
        }
        var weights = analysis.getStepWeights();
        for (int i = 0; i < weights.size(); i++) {
            var path = "spec.analysis.stepWeights[" + i + "]";
            checks.range(weights.get(i), 1, 100, path);
            if (i > 0) {
                checks.require(weights.get(i) > weights.get(i - 1), path,
                        "must be above the previous step's weight (" + weights.get(i - 1) + "), but was " + weights.get(i));
            }
        }
    }
}
