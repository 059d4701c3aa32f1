package io.meshlog.pipeline.burnrate;

import static io.meshlog.pipeline.PipelineDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.pipeline.Policies;
import io.meshlog.pipeline.PipelineDriver;
import io.meshlog.schemas.v1.AlertSeverity;
import io.meshlog.schemas.v1.AlertState;
import io.meshlog.schemas.v1.BurnRateAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Three days of event time through the whole topology: 10 requests a minute (one every 6 s) to
 * "orders", SLO 99.9 % with the default rules. Day 0 12:00–12:09 is a total outage; day 2
 * 00:00–12:00 a slow burn (the first request of every 20th minute fails, 0.5 %). The expected
 * transition times are worked out by hand in each assertion's comment.
 */
class BurnRateTopologyTest {
    private static final int PER_MINUTE = 10;

    record Transition(String key, AlertSeverity severity, AlertState state, Instant at) {}

    @Test
    void threeDaysOfTrafficFireAndResolveExactlyAtTheExpectedMinutes() {
        var transitions = new ArrayList<Transition>();
        var alerts = new ArrayList<BurnRateAlert>();
        try (var pipeline = new PipelineDriver()) {
            pipeline.send(Policies.slo("orders-availability", "orders", 99.9, List.of(), T0));
            for (int minute = 0; minute < 3 * 24 * 60; minute++) {
                for (int i = 0; i < PER_MINUTE; i++) {
                    var time = T0.plus(Duration.ofMinutes(minute)).plusSeconds(6L * i);
                    pipeline.send(PipelineDriver.event("web", "orders", "10.0.0.1:8080",
                            bad(minute, i) ? 503 : 200, time).build());
                }
                for (var record : pipeline.alerts.readRecordsToList()) {
                    alerts.add(record.value());
                    transitions.add(new Transition(record.key(), record.value().getSeverity(),
                            record.value().getState(), record.value().getEventTime()));
                }
            }
        }
        assertThat(transitions).containsExactly(
                // 3d window: 7200 good + k bad > 0.1 % from k = 8 (8/7208); 6h: 8/3598 > 0.1 %.
                new Transition("slo/default/orders-availability/ticket", AlertSeverity.TICKET, AlertState.FIRING,
                        at(720, 42)),
                // 1h window: 590 good + k bad > 1.44 % from k = 9 (9/599); 5m: 9/49.
                new Transition("slo/default/orders-availability/page", AlertSeverity.PAGE, AlertState.FIRING,
                        at(720, 48)),
                // 1h/5m stops at 12:14 (5m clean); 6h/30m stops when the 30m window (730..759) is clean.
                new Transition("slo/default/orders-availability/page", AlertSeverity.PAGE, AlertState.RESOLVED,
                        at(759, 0)),
                // 1d/2h stops at 14:09; 3d/6h stops when the 6h window (730..1089) is clean.
                new Transition("slo/default/orders-availability/ticket", AlertSeverity.TICKET, AlertState.RESOLVED,
                        at(1089, 0)),
                // Slow burn: the 4th bad request (minute 2940) makes 4/3591 > 0.1 % over 6h, 3d far above.
                new Transition("slo/default/orders-availability/ticket", AlertSeverity.TICKET, AlertState.FIRING,
                        at(2940, 0)),
                // Bad requests at 3540, 3560, 3580 last: from minute 3880 the 6h window (3521..3880)
                // holds 3 of 3600, not above 0.1 %; 1d/2h never fired (36 of 14400 = 0.25 %).
                new Transition("slo/default/orders-availability/ticket", AlertSeverity.TICKET, AlertState.RESOLVED,
                        at(3880, 0)));
        var pageFiring = alerts.get(1);
        assertThat(pageFiring.getLongWindowMillis()).isEqualTo(Duration.ofHours(1).toMillis());
        assertThat(pageFiring.getShortWindowMillis()).isEqualTo(Duration.ofMinutes(5).toMillis());
        assertThat(pageFiring.getThreshold()).isEqualTo(14.4);
        assertThat(pageFiring.getLongBurnRate()).isCloseTo(9.0 / 599 / 0.001, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(pageFiring.getShortBurnRate()).isCloseTo(9.0 / 49 / 0.001, org.assertj.core.data.Offset.offset(1e-6));
        // The 30-day budget at the first alert: 8 bad of 7208 requests spend 1.11 budgets' worth of the share.
        assertThat(alerts.get(0).getErrorBudgetRemaining())
                .isCloseTo(1 - 8.0 / 7208 / 0.001, org.assertj.core.data.Offset.offset(1e-9));
    }

    private static boolean bad(int minute, int i) {
        boolean outage = minute >= 720 && minute < 730;
        boolean slowBurn = minute >= 2880 && minute < 3600 && (minute - 2880) % 20 == 0 && i == 0;
        return outage || slowBurn;
    }

    private static Instant at(int minute, int second) {
        return T0.plus(Duration.ofMinutes(minute)).plusSeconds(second);
    }

    @Test
    void explicitRulesReplaceTheDefaultsAndEachTransitionIsEmittedOnce() {
        var rule = io.meshlog.schemas.v1.BurnRateRule.newBuilder().setSeverity(AlertSeverity.PAGE)
                .setLongWindow(Duration.ofMinutes(10).toMillis()).setShortWindow(Duration.ofMinutes(2).toMillis())
                .setFactor(2).build();
        try (var pipeline = new PipelineDriver()) {
            pipeline.send(Policies.slo("cart-slo", "cart", 99.0, List.of(rule), T0));
            // 1 % budget, factor 2: both windows need more than 2 % bad. 3 bad of 10 per minute.
            for (int minute = 0; minute < 30; minute++) {
                for (int i = 0; i < PER_MINUTE; i++) {
                    boolean failing = minute >= 5 && minute < 15 && i < 3;
                    pipeline.send(PipelineDriver.event("web", "cart", "10.0.0.9:80", failing ? 500 : 200,
                            at(minute, 6 * i)).build());
                }
            }
            var records = pipeline.alerts.readRecordsToList();
            assertThat(records).extracting(r -> r.value().getState())
                    .containsExactly(AlertState.FIRING, AlertState.RESOLVED);
            // Minute 5, first request bad: 10m window 50 good + 1 bad = 1.96 %, second: 2/52 = 3.8 %.
            assertThat(records.get(0).value().getEventTime()).isEqualTo(at(5, 6));
            // Minute 15 onwards good: 2m window (14..15) still has minute 14's 3 bad until minute 16.
            assertThat(records.get(1).value().getEventTime()).isEqualTo(at(16, 0));
            assertThat(records.get(1).key()).isEqualTo("slo/default/cart-slo/page");
        }
    }
}
