package io.meshlog.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesIstioDurations() {
        assertThat(Durations.parseMillis("250ms")).isEqualTo(250);
        assertThat(Durations.parseMillis("10s")).isEqualTo(10_000);
        assertThat(Durations.parseMillis("1.5s")).isEqualTo(1_500);
        assertThat(Durations.parseMillis("1h")).isEqualTo(3_600_000);
        assertThat(Durations.parseMillis("1h30m")).isEqualTo(5_400_000);
        assertThat(Durations.parseMillis("30d")).isEqualTo(2_592_000_000L);
    }

    @Test
    void refusesWhatIsNotADuration() {
        for (var bad : new String[] {"10", "ten seconds", "-1s", "1.5ms", "", "10 s"}) {
            assertThatThrownBy(() -> Durations.parseMillis(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad.isEmpty() ? "\"\"" : bad);
        }
    }

    @Test
    void formatsToTextThatParsesBack() {
        for (long millis : new long[] {0, 1, 250, 1000, 1500, 60_000, 90_000, 3_600_000, 86_400_000, 2_592_000_000L}) {
            assertThat(Durations.parseMillis(Durations.format(millis))).as(Durations.format(millis)).isEqualTo(millis);
        }
        assertThat(Durations.format(1500)).isEqualTo("1.5s");
        assertThat(Durations.format(250)).isEqualTo("250ms");
    }
}
