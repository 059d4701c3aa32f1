package io.meshlog.proxy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private static final PoolLimits ONE = new PoolLimits(1, 1, 1, 0, Duration.ofSeconds(1), Duration.ZERO);

    @Test
    void enforcingRefusesTheRequestOverTheLimitAndCountsTheOverflow() {
        var breaker = new CircuitBreaker();

        assertThat(breaker.tryStartRequest(ONE)).isTrue();
        assertThat(breaker.tryStartRequest(ONE)).isFalse();
        assertThat(breaker.active()).isEqualTo(1);
        assertThat(breaker.overflows()).isEqualTo(1);
    }

    @Test
    void observingLetsTheRequestOverTheLimitInAndSaysItWouldHaveOverflowed() {
        var breaker = new CircuitBreaker();

        assertThat(breaker.startUnlimited(ONE)).as("within the limits").isTrue();
        assertThat(breaker.startUnlimited(ONE)).as("over http2MaxRequests and http1MaxPendingRequests").isFalse();
        assertThat(breaker.active()).isEqualTo(2);
        assertThat(breaker.pending()).isEqualTo(2);
        assertThat(breaker.overflows()).as("nothing overflowed").isZero();
    }
}
