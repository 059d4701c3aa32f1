package io.meshlog.policy.model;

import io.meshlog.schemas.v1.CanaryAnalysis;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of a Canary's analysis, as Flagger counts them: the canary weight of each step
 * ({@code stepWeights}, or {@code stepWeight} up to {@code maxWeight}), or in A/B mode
 * ({@code match} set) one step per iteration at weight 0. The one reading of these fields, shared
 * by validation and the pipeline's controller.
 */
public final class CanarySteps {
    /** Flagger's default maxWeight when only stepWeight is given. */
    public static final int DEFAULT_MAX_WEIGHT = 100;
    /** The success-rate metric: percent of canary requests without a 5xx or missing answer. */
    public static final String SUCCESS_RATE = "request-success-rate";
    /** The latency metric: p99 of the canary's request durations in milliseconds. */
    public static final String DURATION = "request-duration";
    /** The mirror stage's metric: percent of mirrored requests whose canary copy got another status. */
    public static final String SHADOW_STATUS_MISMATCH = "shadow-status-mismatch";
    /** The mirror stage's metric: percent of compared response bodies that differed. */
    public static final String SHADOW_BODY_MISMATCH = "shadow-body-mismatch";

    /** Whether {@code metric} is checked in the mirror stage (not in the weighted steps). */
    public static boolean shadowMetric(String metric) {
        return SHADOW_STATUS_MISMATCH.equals(metric) || SHADOW_BODY_MISMATCH.equals(metric);
    }

    /** Percent of requests mirrored in the mirror stage. */
    public static int mirrorWeight(CanaryAnalysis analysis) {
        return analysis.getMirrorWeight() == null ? 100 : analysis.getMirrorWeight();
    }

    /** Webhook types, Flagger's names and meaning. */
    public static final String PRE_ROLLOUT = "pre-rollout";
    public static final String ROLLOUT = "rollout";
    public static final String CONFIRM_PROMOTION = "confirm-promotion";
    public static final String POST_ROLLOUT = "post-rollout";
    public static final String ROLLBACK = "rollback";
    public static final List<String> WEBHOOK_TYPES = List.of(PRE_ROLLOUT, ROLLOUT, CONFIRM_PROMOTION, POST_ROLLOUT, ROLLBACK);
    /**
     * Upper bound of one webhook call: it runs on a stream thread inside an exactly-once
     * transaction (Streams' transaction timeout defaults to 10 s).
     */
    public static final long MAX_WEBHOOK_TIMEOUT_MILLIS = 5_000;

    private CanarySteps() {}

    /** Whether the analysis is A/B testing (matching requests to the canary, no weights). */
    public static boolean abTesting(CanaryAnalysis analysis) {
        return !analysis.getMatch().isEmpty();
    }

    /**
     * The canary weight of each step, in order; empty when the fields do not define a valid
     * sequence (validation says why).
     */
    public static List<Integer> weights(CanaryAnalysis analysis) {
        if (abTesting(analysis)) {
            var iterations = analysis.getIterations() == null ? 0 : analysis.getIterations();
            return java.util.Collections.nCopies(Math.max(iterations, 0), 0);
        }
        if (!analysis.getStepWeights().isEmpty()) {
            return List.copyOf(analysis.getStepWeights());
        }
        var step = analysis.getStepWeight();
        if (step == null || step < 1) {
            return List.of();
        }
        var max = analysis.getMaxWeight() == null ? DEFAULT_MAX_WEIGHT : analysis.getMaxWeight();
        var out = new ArrayList<Integer>();
        for (int weight = step; weight <= max && weight <= 100; weight += step) {
            out.add(weight);
        }
        return List.copyOf(out);
    }
}
