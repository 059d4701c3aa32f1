package io.meshlog.console.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HealthTest {
    @Test
    void noTrafficIsIdle() {
        assertThat(Health.of(0, 0)).isEqualTo(Health.IDLE);
    }

    @Test
    void degradedFromOneTenthOfAPercentOfServerErrors() {
        assertThat(Health.of(100_000, 99)).isEqualTo(Health.HEALTHY);
        assertThat(Health.of(100_000, 100)).isEqualTo(Health.DEGRADED);
    }

    @Test
    void failingAboveTenPercent() {
        assertThat(Health.of(1000, 100)).isEqualTo(Health.DEGRADED);
        assertThat(Health.of(1000, 101)).isEqualTo(Health.FAILURE);
    }
}
