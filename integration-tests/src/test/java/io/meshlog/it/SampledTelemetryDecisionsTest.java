package io.meshlog.it;

import io.meshlog.pipeline.PipelineDriver;
import io.meshlog.pipeline.Policies;
import io.meshlog.proxy.telemetry.SuccessSampler;
import io.meshlog.proxy.telemetry.TelemetrySampling;
import io.meshlog.proxy.telemetry.TelemetrySink;
import io.meshlog.schemas.v1.BurnRateAlert;
import io.meshlog.schemas.v1.EdgeMetrics;
import io.meshlog.schemas.v1.Ejection;
import io.meshlog.schemas.v1.OutlierDetection;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.RetryBudgetState;
import io.meshlog.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The same deterministic traffic through the real pipeline topology twice: every event, and what
 * a proxy's {@link SuccessSampler} sends of it at 10 % of successes. Ejections, burn-rate alerts,
 * retry-budget flips and edge counts must be the same.
 *
 * <p>Traffic: 4 minutes at 40 requests/s from "web" to three endpoints of "orders" in turn;
 * durations 1–5 ms, every 50th success 150 ms (above the 100 ms slow threshold); A and B fail one
 * request in 97; C fails four in five in minute 1 (runs of four errors broken by one success:
 * no consecutive-5xx ejection unless a success goes missing, but a failure percentage far above
 * the threshold) and every request in minute 3 (a consecutive-5xx ejection); each failure
 * is retried once on the next endpoint.
 */
class SampledTelemetryDecisionsTest {
    private static final Instant START = PipelineDriver.T0.plusSeconds(60);
    private static final List<String> ENDPOINTS = List.of("10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080");
    private static final long STEP_MILLIS = 25;
    private static final int REQUESTS = (int) (Duration.ofMinutes(4).toMillis() / STEP_MILLIS);

    record Outcome(List<Ejection> ejections, List<BurnRateAlert> alerts, List<RetryBudgetState> budgetFlips,
            List<EdgeMetrics> edges, int events) {}

    @Test
    void decisionsAlertsAndEdgeCountsAreTheSameWithAndWithoutSampling() {
        var traffic = traffic();
        var sampled = sample(traffic, new TelemetrySampling(10, Duration.ofMillis(100)));

        var all = run(traffic);
        var some = run(sampled);

        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(sampled.stream().mapToLong(RequestTelemetry::getWeight).sum()).isEqualTo(traffic.size());
            soft.assertThat(all.ejections()).as("the traffic ejects C, by failure percentage and by consecutive 5xx")
                    .extracting(Ejection::getReason).map(Enum::name)
                    .contains("FAILURE_PERCENTAGE", "CONSECUTIVE_5XX");
            soft.assertThat(some.ejections()).isEqualTo(all.ejections());
            soft.assertThat(all.alerts()).as("C's failures fire and resolve burn-rate alerts").isNotEmpty();
            soft.assertThat(some.alerts()).isEqualTo(all.alerts());
            soft.assertThat(all.budgetFlips()).as("the retries exhaust the budget and it recovers").hasSizeGreaterThan(2);
            soft.assertThat(some.budgetFlips()).isEqualTo(all.budgetFlips());
            soft.assertThat(all.edges()).hasSizeGreaterThan(20);
            soft.assertThat(some.edges()).isEqualTo(all.edges());
            // Healthy minute 0: 40 requests/s in three groups of about 13 a second, each sent about
            // twice (its 10 % share, then the rest at the second's end), plus each second's first
            // request and the lone slow ones and failures (each sends the groups folded so far).
            soft.assertThat(inMinuteZero(sampled)).as("events sent in the healthy minute")
                    .isLessThan(inMinuteZero(traffic) / 3);
        });
    }

    private static List<RequestTelemetry> traffic() {
        var events = new ArrayList<RequestTelemetry>();
        for (int i = 0; i < REQUESTS; i++) {
            var time = START.plusMillis(i * STEP_MILLIS);
            int endpoint = i % 3;
            int status = fails(i, endpoint, time) ? 503 : 200;
            long micros = status == 200 && i % 50 == 0 ? 150_000 : 1_000 + (i * 7_919L) % 4_000;
            events.add(PipelineDriver.event("web", "orders", ENDPOINTS.get(endpoint), status, time)
                    .setDurationMicros(micros).setRequestBytes(100 + i % 50).setResponseBytes(1_000 + i % 300).build());
            if (status != 200) {
                int next = (endpoint + 1) % 3;
                var retryTime = time.plusMillis(1);
                events.add(PipelineDriver.event("web", "orders", ENDPOINTS.get(next), fails(i + 1, next, retryTime) ? 503 : 200,
                        retryTime).setRetry(true).setAttempt(2).setDurationMicros(2_000).build());
            }
        }
        // Closes every window and interval on both sides: a failure is sent alone, after what is folded.
        events.add(PipelineDriver.event("web", "orders", ENDPOINTS.get(0), 503, START.plus(Duration.ofMinutes(20)))
                .build());
        return events;
    }

    private static long inMinuteZero(List<RequestTelemetry> events) {
        var end = START.plus(Duration.ofMinutes(1));
        return events.stream().filter(e -> e.getEventTime().isBefore(end)).count();
    }

    private static boolean fails(int i, int endpoint, Instant time) {
        long minute = Duration.between(START, time).toMinutes();
        if (endpoint == 2 && minute == 1) {
            return (i / 3) % 5 != 4;
        }
        if (endpoint == 2 && minute == 3) {
            return true;
        }
        return i % 97 == 0;
    }

    /** What the proxy sends: the sampler between the request path and Kafka, its idle flush on time. */
    private static List<RequestTelemetry> sample(List<RequestTelemetry> traffic, TelemetrySampling sampling) {
        var sent = new ArrayList<RequestTelemetry>();
        TelemetrySink capture = sent::add;
        var clock = new MutableClock(START);
        var sampler = new SuccessSampler(capture, sampling, clock, false);
        for (var event : traffic) {
            clock.set(event.getEventTime());
            sampler.flushIdle();
            sampler.record(RequestTelemetry.newBuilder(event).build());
        }
        sampler.close();
        return sent;
    }

    private static Outcome run(List<RequestTelemetry> events) {
        var od = OutlierDetection.newBuilder().setConsecutive5xxErrors(5).setInterval(10_000L)
                .setBaseEjectionTime(30_000L).setMaxEjectionPercent(100).setFailurePercentageThreshold(50)
                .setFailurePercentageMinimumHosts(1).setFailurePercentageRequestVolume(20).build();
        try (var pipeline = new PipelineDriver()) {
            pipeline.send(Policies.destinationRule("orders", od, PipelineDriver.T0));
            pipeline.send(Policies.retryBudget("orders", 0.1, 1, 10_000, PipelineDriver.T0));
            pipeline.send(Policies.slo("orders-availability", "orders", 99.9, List.of(), PipelineDriver.T0));
            events.forEach(pipeline::send);
            var ejections = new ArrayList<Ejection>();
            var flips = new ArrayList<RetryBudgetState>();
            for (var decision : pipeline.decisions.readValuesToList()) {
                if (decision.getPayload() instanceof Ejection ejection) {
                    ejections.add(ejection);
                } else if (decision.getPayload() instanceof RetryBudgetState state
                        && (flips.isEmpty() || flips.get(flips.size() - 1).getExhausted() != state.getExhausted())) {
                    flips.add(RetryBudgetState.newBuilder(state).setOriginalRequests(0).setRetries(0)
                            .setAllowedRetries(0).setRemaining(0).setDecidedAt(Instant.EPOCH).build());
                }
            }
            var edges = pipeline.edges.readValuesToList().stream().map(SampledTelemetryDecisionsTest::counts).toList();
            return new Outcome(ejections, pipeline.alerts.readValuesToList(), flips, edges, events.size());
        }
    }

    /**
     * An edge record without what sampling approximates: the percentiles below the slow threshold
     * (a folded group reports its last request's duration for all) and the histogram they come from.
     */
    private static EdgeMetrics counts(EdgeMetrics edge) {
        return EdgeMetrics.newBuilder(edge).setP50Millis(0).setP95Millis(0).setLatencyHistogram(
                java.nio.ByteBuffer.allocate(0)).build();
    }
}
