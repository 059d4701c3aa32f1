package io.meshlog.proxy.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.proxy.config.ConfigException;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.ResponseFlag;
import io.meshlog.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuccessSamplerTest {
    private static final long T0 = 1_700_000_000_000L;

    private final List<RequestTelemetry> sent = new ArrayList<>();
    private final TelemetrySink capture = new TelemetrySink() {
        @Override
        public void record(RequestTelemetry event) {
            sent.add(event);
        }
    };
    private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(T0));

    private SuccessSampler sampler(double percent) {
        return new SuccessSampler(capture, new TelemetrySampling(percent, Duration.ofMillis(100)), clock, false);
    }

    private static RequestTelemetry success(long atMillis) {
        var event = TelemetryEvents.to("orders", 1);
        event.setStatus(200);
        event.setResponseFlags(List.of());
        event.setDurationMicros(2_000);
        event.setRequestBytes(10);
        event.setResponseBytes(100);
        event.setEventTime(Instant.ofEpochMilli(atMillis));
        return event;
    }

    private long weights() {
        return sent.stream().mapToLong(RequestTelemetry::getWeight).sum();
    }

    @Test
    void tenPercentSendsOneEventInTenCarryingTheOthersWeightAndBytes() {
        var sampler = sampler(10);
        for (int i = 0; i <= 100; i++) {
            sampler.record(success(T0 + i));
        }

        assertThat(sent).hasSize(11);
        assertThat(sent.get(0).getWeight()).as("the second's first request, alone").isEqualTo(1);
        assertThat(sent.subList(1, 11)).allSatisfy(e -> {
            assertThat(e.getWeight()).isEqualTo(10);
            assertThat(e.getRequestBytes()).isEqualTo(100);
            assertThat(e.getResponseBytes()).isEqualTo(1_000);
        });
    }

    @Test
    void aShareThatIsNotAWholeFractionStillCountsEveryRequest() {
        var sampler = sampler(30);
        for (int i = 0; i <= 100; i++) {
            sampler.record(success(T0 + i));
        }
        sampler.close();

        assertThat(sent).hasSize(31);
        assertThat(weights()).isEqualTo(101);
    }

    @Test
    void failuresRetriesRefusedRetriesAndSlowRequestsAreSentAloneWithWeightOne() {
        var sampler = sampler(1);
        var failure = success(T0);
        failure.setStatus(503);
        var local = success(T0);
        local.setResponseFlags(List.of(ResponseFlag.RL));
        var clientError = success(T0);
        clientError.setStatus(404);
        var retry = success(T0);
        retry.setRetry(true);
        retry.setAttempt(2);
        var refused = success(T0);
        refused.setRetrySuppressed(true);
        var slow = success(T0);
        slow.setDurationMicros(100_000);

        for (var event : List.of(failure, local, clientError, retry, refused, slow)) {
            sampler.record(event);
        }

        assertThat(sent).containsExactly(failure, local, clientError, retry, refused, slow)
                .allSatisfy(e -> assertThat(e.getWeight()).isEqualTo(1));
    }

    @Test
    void successesCountedOneByOneElsewhereAreSentAlone() {
        var sampler = sampler(1);
        sampler.record(success(T0)); // the second's first request
        var wouldHaveDenied = success(T0 + 1);
        wouldHaveDenied.setWouldHave(List.of(io.meshlog.schemas.v1.WouldHave.DENY));
        var mirrored = success(T0 + 2);
        mirrored.setShadowStatus(200);

        sampler.record(wouldHaveDenied);
        sampler.record(mirrored);

        assertThat(sent.subList(1, sent.size())).containsExactly(wouldHaveDenied, mirrored)
                .allSatisfy(e -> assertThat(e.getWeight()).isEqualTo(1));
    }

    @Test
    void successesFoldedSoFarGoOutBeforeTheNextFailureOfTheirService() {
        var sampler = sampler(10);
        sampler.record(success(T0));
        sampler.record(success(T0 + 1));
        sampler.record(success(T0 + 2));
        var failure = success(T0 + 3);
        failure.setStatus(503);

        sampler.record(failure);

        assertThat(sent).extracting(RequestTelemetry::getWeight).containsExactly(1, 2, 1);
        assertThat(sent.get(2)).isSameAs(failure);
    }

    @Test
    void aFailureOfAnotherServiceLeavesTheGroupFolded() {
        var sampler = sampler(10);
        var first = success(T0);
        sampler.record(first);
        sampler.record(success(T0 + 1));
        var failure = TelemetryEvents.to("payments", 10);

        sampler.record(failure);

        assertThat(sent).containsExactly(first, failure);
    }

    @Test
    void aGroupNeverSpansTwoSecondsOfEventTime() {
        var sampler = sampler(10);
        sampler.record(success(T0 + 900));
        sampler.record(success(T0 + 950));
        sampler.record(success(T0 + 960));
        sampler.record(success(T0 + 1_000));

        assertThat(sent).extracting(RequestTelemetry::getWeight).containsExactly(1, 2, 1);
        assertThat(sent).extracting(e -> e.getEventTime().toEpochMilli() - T0).containsExactly(900L, 960L, 1_000L);
    }

    @Test
    void theIdleFlushSendsGroupsOfPastSecondsOnly() {
        var sampler = sampler(10);
        sampler.record(success(T0 + 10));
        sampler.record(success(T0 + 20));
        clock.set(Instant.ofEpochMilli(T0 + 999));
        sampler.flushIdle();
        assertThat(sent).hasSize(1);

        clock.set(Instant.ofEpochMilli(T0 + 1_000));
        sampler.flushIdle();

        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).getEventTime()).isEqualTo(Instant.ofEpochMilli(T0 + 20));
    }

    @Test
    void closingSendsWhatIsFolded() {
        var sampler = sampler(10);
        for (int i = 0; i < 8; i++) {
            sampler.record(success(T0 + i));
        }

        sampler.close();

        assertThat(sent).extracting(RequestTelemetry::getWeight).containsExactly(1, 7);
    }

    @Test
    void oneHundredPercentIsNoSamplerAtAll() {
        assertThat(SuccessSampler.of(capture, TelemetrySampling.OFF, clock)).isSameAs(capture);
    }

    @Test
    void theShareMustBeAboveZeroAndAtMostOneHundred() {
        assertThatThrownBy(() -> new TelemetrySampling(0, null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("telemetry.sampling.successes.percent");
        assertThatThrownBy(() -> new TelemetrySampling(100.5, null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("telemetry.sampling.successes.percent");
    }

    @Test
    void theSlowThresholdMustBePositive() {
        assertThatThrownBy(() -> new TelemetrySampling(10, Duration.ZERO)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("telemetry.sampling.slow.threshold");
    }
}
