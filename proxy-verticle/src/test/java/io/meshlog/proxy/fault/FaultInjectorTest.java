package io.meshlog.proxy.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {
    @Test
    void abortsAndDelaysTheGivenShareOfRequests() {
        var fault = new FaultPolicy(25, Duration.ofMillis(100), 10, 503);
        assertThat(new FaultInjector(() -> 9.99).abort(fault)).isTrue();
        assertThat(new FaultInjector(() -> 10.0).abort(fault)).isFalse();
        assertThat(new FaultInjector(() -> 24.9).delay(fault)).isTrue();
        assertThat(new FaultInjector(() -> 25.0).delay(fault)).isFalse();
    }

    @Test
    void noFaultNeverFires() {
        var injector = new FaultInjector(() -> 0.0);
        assertThat(injector.abort(FaultPolicy.NONE)).isFalse();
        assertThat(injector.delay(FaultPolicy.NONE)).isFalse();
    }

    @Test
    void rejectsABadPercentageOrStatusNamingTheField() {
        assertThatThrownBy(() -> new FaultPolicy(0, Duration.ZERO, 120, 503))
                .hasMessage("fault.abort.percentage: must be between 0 and 100, but was 120.0");
        assertThatThrownBy(() -> new FaultPolicy(0, Duration.ZERO, 50, 99))
                .hasMessage("fault.abort.httpStatus: must be between 200 and 599, but was 99");
    }
}
