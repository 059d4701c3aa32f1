package io.meshlog.console.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimeWindowTest {
    @Test
    void parsesTheOfferedWindowsAndDefaultsToFiveMinutes() {
        assertThat(TimeWindow.parse("15m")).isEqualTo(TimeWindow.FIFTEEN_MINUTES);
        assertThat(TimeWindow.parse(null)).isEqualTo(TimeWindow.FIVE_MINUTES);
    }

    @Test
    void refusesAWindowLongerThanTheModelKeeps() {
        assertThatThrownBy(() -> TimeWindow.parse("6h")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window must be one of 1m, 5m, 15m, 1h").hasMessageContaining("'6h'");
    }
}
