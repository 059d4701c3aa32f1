package io.meshlog.pipeline.canary;

import io.meshlog.pipeline.ingest.EventWeight;
import io.meshlog.policy.model.CanarySteps;
import io.meshlog.schemas.v1.CanaryPhase;
import io.meshlog.schemas.v1.CanaryRollbackReason;
import io.meshlog.schemas.v1.CanarySpec;
import io.meshlog.schemas.v1.CanaryStatus;
import io.meshlog.schemas.v1.CanaryWebhook;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.RequestTelemetry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * One run of one Canary generation and its decisions, Flagger's phases: Initialized (first
 * step's route requested) → Progressing (per step: route on the log, acknowledged by every proxy
 * serving it, then at least minRequests canary requests checked against each metric) → Promoting
 * (all traffic to the canary requested) → Finalising (that route on the log, waiting for the
 * proxies) → Succeeded; or Failed after {@code threshold} failed checks (route back to stable).
 *
 * <p>A step only counts requests reported by proxies that applied its route, and only once
 * every proxy serving the route did. A step whose interval runs out before minRequests is a
 * failed check ("min-requests"): no data never passes. Mutable; time comes from the caller.
 */
final class CanaryRun {
    /** Proxies remembered per run; beyond, new callers are not waited for. */
    static final int MAX_SERVING_PROXIES = 10_000;
    /** While counting, the status is re-emitted at most this often. */
    static final long STATUS_EVERY_MILLIS = 1_000;
    private static final String ROLLBACK_END = "; then: ";

    /** The label meshctl canary promote|abort|pause|resume sets on the Canary (through the policy log). */
    static final String CONTROL_LABEL = "meshlog.io/canary-control";

    PolicyEvent canaryEvent;
    final CanaryStatus status;
    /** Generation of the route written and not yet seen back on the log; 0: none pending. */
    long requestedRoute;
    /** Highest generation of the route key seen on the log (the next write is one above). */
    long lastRouteSeen;
    final Set<String> serving;
    final StepMetrics canary;
    final StepMetrics stable;
    long lastStatusAt;

    CanaryRun(PolicyEvent canaryEvent, CanaryStatus status, long requestedRoute, long lastRouteSeen,
            Set<String> serving, StepMetrics canary, StepMetrics stable, long lastStatusAt) {
        this.canaryEvent = canaryEvent;
        this.status = status;
        this.requestedRoute = requestedRoute;
        this.lastRouteSeen = lastRouteSeen;
        this.serving = serving;
        this.canary = canary;
        this.stable = stable;
        this.lastStatusAt = lastStatusAt;
    }

    /** A new run of {@code canaryEvent}: requests the first step's route. */
    static CanaryRun start(PolicyEvent canaryEvent, long lastRouteSeen, long now, Effects effects) {
        var spec = spec(canaryEvent);
        var weights = CanarySteps.weights(spec.getAnalysis());
        var empty = new StepMetrics().toStatus();
        var status = CanaryStatus.newBuilder().setNamespace(canaryEvent.getNamespace()).setName(canaryEvent.getName())
                .setService(spec.getTargetRef().getName()).setStableSubset(spec.getStable())
                .setCanarySubset(spec.getCanary()).setPhase(CanaryPhase.Initialized)
                .setCanaryGeneration(canaryEvent.getGeneration()).setStep(0).setSteps(weights.size())
                .setCanaryWeight(weights.isEmpty() ? 0 : weights.get(0)).setFailedChecks(0).setRouteGeneration(0)
                .setRouteAcknowledged(false).setWaitingFor(List.of()).setStepStartedAt(Instant.ofEpochMilli(now))
                .setCanary(empty).setStable(empty).setRollbackReason(null).setMessage("")
                .setUpdatedAt(Instant.ofEpochMilli(now)).build();
        var run = new CanaryRun(canaryEvent, status, 0, lastRouteSeen, new TreeSet<>(), new StepMetrics(),
                new StepMetrics(), now);
        if (weights.isEmpty()) {
            run.fail(null, "the Canary defines no steps", now, effects);
            return run;
        }
        var control = canaryEvent.getLabels().get(CONTROL_LABEL);
        if ("abort".equals(control) || "promote".equals(control)) {
            run.applyControl(control, now, effects);
            return run;
        }
        var refused = run.refusingHook(CanarySteps.PRE_ROLLOUT, effects);
        if (refused != null) {
            run.fail(run.reason("webhook-" + CanarySteps.PRE_ROLLOUT, Double.NaN, 0), refused, now, effects);
            return run;
        }
        status.setPaused("pause".equals(control));
        MirrorStage.enterIfAsked(status, spec.getAnalysis());
        if (MirrorStage.active(status)) {
            status.setCanaryWeight(0);
        }
        run.requestRoute(status.getCanaryWeight(), now, effects);
        run.emit((MirrorStage.active(status) ? "route for the mirror stage" : "route for step 1 of " + weights.size())
                + " requested" + (status.getPaused() ? " (paused)" : ""), now, effects);
        return run;
    }

    String key() {
        return status.getNamespace() + "/" + status.getName();
    }

    String routeKey() {
        return CanaryRoutes.routeKey(status.getNamespace(), status.getName());
    }

    boolean finished() {
        return status.getPhase() == CanaryPhase.Succeeded || status.getPhase() == CanaryPhase.Failed;
    }

    /** The route key reached {@code generation} on the policy log. */
    void onRouteSeen(long generation, AckView acks, long now, Effects effects) {
        lastRouteSeen = Math.max(lastRouteSeen, generation);
        if (requestedRoute == 0 || generation < requestedRoute) {
            return;
        }
        requestedRoute = 0;
        // The previous step's counts were reported with its decision; this step counts afresh.
        canary.reset();
        stable.reset();
        status.setRouteGeneration(generation);
        status.setRouteAcknowledged(false);
        if (status.getPhase() == CanaryPhase.Promoting) {
            status.setPhase(CanaryPhase.Finalising);
        }
        emit(afterRollback("route generation " + generation + " on the policy log; waiting for the proxies serving it"),
                now, effects);
        checkAcks(acks, now, effects);
    }

    /**
     * A new generation of the Canary whose spec is unchanged: only its control label can have
     * changed, so the run goes on, promoted, aborted, paused or resumed as the label says.
     */
    void onControl(PolicyEvent event, long now, Effects effects) {
        canaryEvent = event;
        status.setCanaryGeneration(event.getGeneration());
        var control = event.getLabels().get(CONTROL_LABEL);
        if (finished()) {
            emit(afterRollback("generation " + event.getGeneration() + " (" + (control == null ? "no control" : control)
                    + ") changes nothing: the run has finished"), now, effects);
            return;
        }
        applyControl(control, now, effects);
    }

    private void applyControl(String control, long now, Effects effects) {
        if ("abort".equals(control)) {
            status.setPaused(false);
            fail(reason("manual-abort", Double.NaN, 0), "aborted by meshctl canary abort", now, effects);
        } else if ("promote".equals(control)) {
            status.setPaused(false);
            MirrorStage.leave(status);
            status.setPhase(CanaryPhase.Promoting);
            status.setCanaryWeight(100);
            requestRoute(100, now, effects);
            emit("promoted by meshctl canary promote, skipping the remaining checks: all requests to subset "
                    + status.getCanarySubset(), now, effects);
        } else if ("pause".equals(control)) {
            status.setPaused(true);
            emit("paused at step " + (status.getStep() + 1) + ": no counting, checks or interval until resumed",
                    now, effects);
        } else if (control == null || "resume".equals(control)) {
            if (status.getPaused()) {
                status.setPaused(false);
                startCounting(now);
                emit("resumed: " + counting(), now, effects);
            }
        } else {
            emit("unknown " + CONTROL_LABEL + " \"" + control + "\" ignored (promote, abort, pause or resume)",
                    now, effects);
        }
    }

    /** One SOURCE report of a request to the target service. */
    void onRequest(RequestTelemetry telemetry, AckView acks, long now, Effects effects) {
        var proxy = telemetry.getProxyId();
        if (serving.size() < MAX_SERVING_PROXIES) {
            serving.add(proxy);
        }
        if (finished() || requestedRoute != 0) {
            return;
        }
        if (!status.getRouteAcknowledged()) {
            checkAcks(acks, now, effects);
            if (!status.getRouteAcknowledged()) {
                return;
            }
        }
        if (behind(proxy, acks) || status.getPhase() != CanaryPhase.Progressing || status.getPaused()) {
            return;
        }
        if (MirrorStage.active(status)) {
            if (MirrorStage.record(status, telemetry)) {
                evaluateMirror(now, effects);
            }
            return;
        }
        var subset = telemetry.getDestinationSubset();
        if (status.getCanarySubset().equals(subset)) {
            canary.record(telemetry.getStatus(), telemetry.getDurationMicros(), EventWeight.of(telemetry));
            evaluate(now, effects);
        } else if (status.getStableSubset().equals(subset)) {
            stable.record(telemetry.getStatus(), telemetry.getDurationMicros(), EventWeight.of(telemetry));
        }
    }

    /** Time passes: acknowledgements, the step's interval, a throttled status. */
    void onTick(AckView acks, long now, Effects effects) {
        if (requestedRoute != 0 || (finished() && status.getRouteAcknowledged())) {
            return;
        }
        if (!status.getRouteAcknowledged()) {
            checkAcks(acks, now, effects);
            return;
        }
        if (status.getPhase() != CanaryPhase.Progressing || status.getPaused()) {
            return;
        }
        var analysis = spec(canaryEvent).getAnalysis();
        if (now - status.getStepStartedAt().toEpochMilli() >= analysis.getInterval()) {
            long counted = MirrorStage.active(status) ? MirrorStage.requests(status) : canary.requests();
            failedCheck(reason("min-requests", (double) counted, analysis.getMinRequests()),
                    "only " + counted + (MirrorStage.active(status) ? " mirrored" : " canary") + " requests within the interval of "
                            + analysis.getInterval() + " ms (need " + analysis.getMinRequests() + ")", now, effects);
        } else if (now - lastStatusAt >= STATUS_EVERY_MILLIS && canary.requests() + stable.requests() > 0) {
            emit(counting(), now, effects);
        }
    }

    private void checkAcks(AckView acks, long now, Effects effects) {
        if (requestedRoute != 0 || status.getRouteGeneration() == 0) {
            return;
        }
        var waiting = new ArrayList<String>();
        for (var proxy : serving) {
            if (behind(proxy, acks)) {
                waiting.add(proxy);
            }
        }
        if (!waiting.isEmpty()) {
            if (!waiting.equals(status.getWaitingFor())) {
                status.setWaitingFor(waiting);
                emit(afterRollback("waiting for " + waiting.size() + " proxies to apply route generation "
                        + status.getRouteGeneration()), now, effects);
            }
            return;
        }
        status.setWaitingFor(List.of());
        status.setRouteAcknowledged(true);
        startCounting(now);
        switch (status.getPhase()) {
            case Initialized -> {
                status.setPhase(CanaryPhase.Progressing);
                emit(counting(), now, effects);
            }
            case Finalising -> {
                status.setPhase(CanaryPhase.Succeeded);
                emit("promoted: every proxy serving the route sends all requests to subset " + status.getCanarySubset()
                        + postRollout(effects), now, effects);
            }
            case Failed -> emit(afterRollback("every proxy serving the route applied the rollback" + postRollout(effects)),
                    now, effects);
            default -> emit(counting(), now, effects);
        }
        if (status.getPhase() == CanaryPhase.Progressing && spec(canaryEvent).getSkipAnalysis() && !status.getPaused()) {
            pass(now, effects);
        }
    }

    private boolean behind(String proxy, AckView acks) {
        var applied = acks.applied(proxy, routeKey());
        return applied.isPresent() && applied.getAsLong() < status.getRouteGeneration();
    }

    private void evaluate(long now, Effects effects) {
        var spec = spec(canaryEvent);
        var analysis = spec.getAnalysis();
        if (spec.getSkipAnalysis() || canary.requests() < analysis.getMinRequests()) {
            return;
        }
        var rollback = acceptingHook(CanarySteps.ROLLBACK, effects);
        if (rollback != null) {
            fail(reason("webhook-" + CanarySteps.ROLLBACK, Double.NaN, 0), rollback, now, effects);
            return;
        }
        var refused = refusingHook(CanarySteps.ROLLOUT, effects);
        if (refused != null) {
            failedCheck(reason("webhook-" + CanarySteps.ROLLOUT, Double.NaN, 0), refused, now, effects);
            return;
        }
        for (var metric : analysis.getMetrics()) {
            if (CanarySteps.shadowMetric(metric.getName())) {
                continue; // checked in the mirror stage
            }
            var rate = CanarySteps.SUCCESS_RATE.equals(metric.getName());
            var value = rate ? canary.successRate() : canary.p99Millis();
            var stableValue = rate ? stable.successRate() : stable.p99Millis();
            var range = metric.getThresholdRange();
            if (range.getMin() != null && !(value >= range.getMin())) {
                failedCheck(reason(metric.getName(), value, range.getMin()),
                        describe(metric.getName(), value, "below min", range.getMin(), stableValue), now, effects);
                return;
            }
            if (range.getMax() != null && !(value <= range.getMax())) {
                failedCheck(reason(metric.getName(), value, range.getMax()),
                        describe(metric.getName(), value, "above max", range.getMax(), stableValue), now, effects);
                return;
            }
        }
        pass(now, effects);
    }

    /** The mirror stage's checks, once minRequests copies ended. */
    private void evaluateMirror(long now, Effects effects) {
        var analysis = spec(canaryEvent).getAnalysis();
        if (spec(canaryEvent).getSkipAnalysis() || MirrorStage.requests(status) < analysis.getMinRequests()) {
            return;
        }
        for (var metric : analysis.getMetrics()) {
            if (!CanarySteps.shadowMetric(metric.getName())) {
                continue;
            }
            var value = MirrorStage.value(status, metric.getName());
            var range = metric.getThresholdRange();
            var min = range.getMin();
            var max = range.getMax();
            if ((min != null && !(value >= min)) || (max != null && !(value <= max))) {
                var bound = max != null && !(value <= max) ? max : min;
                failedCheck(reason(metric.getName(), value, bound, MirrorStage.requests(status)),
                        String.format(Locale.ROOT, "%s %.2f%% %s %.2f over %d mirrored requests", metric.getName(), value,
                                bound == max ? "above max" : "below min", bound, MirrorStage.requests(status)),
                        now, effects);
                return;
            }
        }
        pass(now, effects);
    }

    private void pass(long now, Effects effects) {
        var weights = CanarySteps.weights(spec(canaryEvent).getAnalysis());
        if (MirrorStage.active(status)) {
            var passed = "mirror stage passed (" + MirrorStage.describe(status, spec(canaryEvent).getAnalysis().getMinRequests()) + ")";
            MirrorStage.leave(status);
            status.setCanaryWeight(weights.get(0));
            requestRoute(weights.get(0), now, effects);
            emit(passed + "; route for step 1 of " + weights.size() + " requested", now, effects);
            return;
        }
        var next = status.getStep() + 1;
        var passed = "step " + (status.getStep() + 1) + " passed (" + counting() + ")";
        if (next < weights.size()) {
            status.setStep(next);
            status.setCanaryWeight(weights.get(next));
            requestRoute(weights.get(next), now, effects);
            emit(passed + "; route for step " + (next + 1) + " requested", now, effects);
        } else {
            var unconfirmed = refusingHook(CanarySteps.CONFIRM_PROMOTION, effects);
            if (unconfirmed != null) {
                startCounting(now);
                emit(passed + "; promotion not confirmed: " + unconfirmed + "; asked again after the next "
                        + spec(canaryEvent).getAnalysis().getMinRequests() + " canary requests", now, effects);
                return;
            }
            status.setPhase(CanaryPhase.Promoting);
            status.setCanaryWeight(100);
            requestRoute(100, now, effects);
            emit(passed + "; promoting: all requests to " + status.getCanarySubset(), now, effects);
        }
    }

    private void failedCheck(CanaryRollbackReason reason, String why, long now, Effects effects) {
        status.setFailedChecks(status.getFailedChecks() + 1);
        status.setRollbackReason(reason);
        var threshold = spec(canaryEvent).getAnalysis().getThreshold();
        if (status.getFailedChecks() >= threshold) {
            fail(reason, why, now, effects);
            return;
        }
        var message = "failed check " + status.getFailedChecks() + " of " + threshold + ": " + why
                + "; step " + (status.getStep() + 1) + " is checked again";
        startCounting(now);
        emit(message, now, effects);
    }

    private void fail(CanaryRollbackReason reason, String why, long now, Effects effects) {
        MirrorStage.leave(status);
        status.setPhase(CanaryPhase.Failed);
        status.setRollbackReason(reason);
        status.setCanaryWeight(0);
        requestRoute(0, now, effects);
        emit("rolled back: " + why, now, effects);
    }

    /** A failed run keeps its rollback reason at the head of every later message. */
    private String afterRollback(String note) {
        if (status.getPhase() != CanaryPhase.Failed) {
            return note;
        }
        var message = status.getMessage();
        var end = message.indexOf(ROLLBACK_END);
        return (end < 0 ? message : message.substring(0, end)) + ROLLBACK_END + note;
    }

    /**
     * Calls the hooks of {@code type} in order; the first that does not answer 2xx stops the
     * others. Returns what it said (for the reason), or null when all accepted (or there are none).
     */
    private String refusingHook(String type, Effects effects) {
        for (var hook : hooks(type)) {
            var result = effects.webhook(hook, CanaryStatus.newBuilder(status).build());
            if (!result.accepted()) {
                return type + " webhook \"" + hook.getName() + "\" did not accept: " + result.detail();
            }
        }
        return null;
    }

    /** Flagger's rollback hooks: the first that answers 2xx asks for a rollback (returned), else null. */
    private String acceptingHook(String type, Effects effects) {
        for (var hook : hooks(type)) {
            var result = effects.webhook(hook, CanaryStatus.newBuilder(status).build());
            if (result.accepted()) {
                return type + " webhook \"" + hook.getName() + "\" asked for it (" + result.detail() + ")";
            }
        }
        return null;
    }

    /** Post-rollout hooks inform only: their answers are noted in the message. */
    private String postRollout(Effects effects) {
        var notes = new StringBuilder();
        for (var hook : hooks(CanarySteps.POST_ROLLOUT)) {
            var result = effects.webhook(hook, CanaryStatus.newBuilder(status).build());
            notes.append("; post-rollout webhook \"").append(hook.getName()).append("\": ").append(result.detail());
        }
        return notes.toString();
    }

    private List<CanaryWebhook> hooks(String type) {
        return spec(canaryEvent).getAnalysis().getWebhooks().stream().filter(h -> type.equals(h.getType())).toList();
    }

    private void requestRoute(int weight, long now, Effects effects) {
        var spec = spec(canaryEvent);
        var ab = CanarySteps.abTesting(spec.getAnalysis()) && status.getPhase() != CanaryPhase.Failed
                && status.getPhase() != CanaryPhase.Promoting;
        requestedRoute = Math.max(lastRouteSeen, status.getRouteGeneration()) + 1;
        status.setRouteAcknowledged(false);
        status.setWaitingFor(List.of());
        Integer mirror = MirrorStage.active(status) ? CanarySteps.mirrorWeight(spec.getAnalysis()) : null;
        effects.route(routeKey(), CanaryRoutes.route(status.getNamespace(), status.getName(), spec,
                ab ? 0 : weight, ab, mirror, requestedRoute, Instant.ofEpochMilli(now)));
    }

    private void startCounting(long now) {
        MirrorStage.reset(status);
        canary.reset();
        stable.reset();
        status.setStepStartedAt(Instant.ofEpochMilli(now));
    }

    private String counting() {
        var analysis = spec(canaryEvent).getAnalysis();
        if (MirrorStage.active(status)) {
            return MirrorStage.describe(status, analysis.getMinRequests());
        }
        return "step " + (status.getStep() + 1) + " of " + status.getSteps() + " at canary weight "
                + status.getCanaryWeight() + "%: " + canary.requests() + " canary requests (need "
                + analysis.getMinRequests() + "), " + stable.requests() + " stable; metrics are computed over the "
                + "canary's requests of this step, compared with the stable subset's over the same time";
    }

    private String describe(String metric, double value, String relation, double threshold, double stableValue) {
        return String.format(Locale.ROOT, "%s %.2f %s %.2f over %d canary requests (stable %s over %d requests "
                + "in the same time)", metric, value, relation, threshold, canary.requests(),
                Double.isNaN(stableValue) ? "n/a" : String.format(Locale.ROOT, "%.2f", stableValue), stable.requests());
    }

    private CanaryRollbackReason reason(String metric, double value, double threshold) {
        return reason(metric, value, threshold, canary.requests());
    }

    private static CanaryRollbackReason reason(String metric, double value, double threshold, long requests) {
        return CanaryRollbackReason.newBuilder().setMetric(metric).setValue(Double.isNaN(value) ? null : value)
                .setThreshold(threshold).setRequests(requests).build();
    }

    private void emit(String message, long now, Effects effects) {
        status.setMessage(message);
        status.setCanary(canary.toStatus());
        status.setStable(stable.toStatus());
        status.setUpdatedAt(Instant.ofEpochMilli(now));
        lastStatusAt = now;
        effects.status(key(), CanaryStatus.newBuilder(status).build());
    }

    static CanarySpec spec(PolicyEvent canaryEvent) {
        return (CanarySpec) canaryEvent.getSpec();
    }

    /** Where a run's decisions go. */
    interface Effects {
        void route(String policyKey, PolicyEvent event);

        void status(String canaryKey, CanaryStatus status);

        /** Calls one webhook with the run's state (bounded; see {@link CanaryWebhooks}). */
        CanaryWebhooks.Result webhook(CanaryWebhook hook, CanaryStatus state);

        /** Effects that forward to two consumers and call webhooks with {@code webhooks}. */
        static Effects of(java.util.function.BiConsumer<String, PolicyEvent> routes,
                java.util.function.BiConsumer<String, CanaryStatus> statuses, CanaryWebhooks webhooks) {
            return new Effects() {
                @Override
                public CanaryWebhooks.Result webhook(CanaryWebhook hook, CanaryStatus state) {
                    return webhooks.call(hook, state);
                }

                @Override
                public void route(String policyKey, PolicyEvent event) {
                    routes.accept(policyKey, event);
                }

                @Override
                public void status(String canaryKey, CanaryStatus status) {
                    statuses.accept(canaryKey, status);
                }
            };
        }
    }
}
