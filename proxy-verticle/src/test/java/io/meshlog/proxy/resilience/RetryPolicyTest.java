package io.meshlog.proxy.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static RetryPolicy on(RetryOn... conditions) {
        return new RetryPolicy(2, Duration.ZERO, EnumSet.copyOf(Set.of(conditions)), Set.of(), false);
    }

    @Test
    void fiveXxRetriesEveryServerErrorAndEveryLocalFailureButOverflow() {
        var policy = on(RetryOn.FIVE_XX);
        assertThat(policy.retriable(500, AttemptFailure.NONE)).isTrue();
        assertThat(policy.retriable(503, AttemptFailure.NONE)).isTrue();
        assertThat(policy.retriable(404, AttemptFailure.NONE)).isFalse();
        assertThat(policy.retriable(0, AttemptFailure.CONNECT_FAILURE)).isTrue();
        assertThat(policy.retriable(0, AttemptFailure.RESET)).isTrue();
        assertThat(policy.retriable(0, AttemptFailure.TIMEOUT)).isTrue();
        assertThat(policy.retriable(0, AttemptFailure.OVERFLOW)).isFalse();
    }

    @Test
    void gatewayErrorRetriesOnly502To504AndConnectFailures() {
        var policy = on(RetryOn.GATEWAY_ERROR);
        assertThat(policy.retriable(500, AttemptFailure.NONE)).isFalse();
        assertThat(policy.retriable(502, AttemptFailure.NONE)).isTrue();
        assertThat(policy.retriable(504, AttemptFailure.NONE)).isTrue();
        assertThat(policy.retriable(0, AttemptFailure.CONNECT_FAILURE)).isTrue();
        assertThat(policy.retriable(0, AttemptFailure.RESET)).isFalse();
    }

    @Test
    void narrowConditionsRetryOnlyTheirCase() {
        assertThat(on(RetryOn.CONNECT_FAILURE).retriable(503, AttemptFailure.NONE)).isFalse();
        assertThat(on(RetryOn.CONNECT_FAILURE).retriable(0, AttemptFailure.CONNECT_FAILURE)).isTrue();
        assertThat(on(RetryOn.REFUSED_STREAM).retriable(0, AttemptFailure.REFUSED_STREAM)).isTrue();
        assertThat(on(RetryOn.RESET).retriable(0, AttemptFailure.RESET)).isTrue();
        assertThat(on(RetryOn.RETRIABLE_4XX).retriable(409, AttemptFailure.NONE)).isTrue();
        assertThat(on(RetryOn.RETRIABLE_4XX).retriable(400, AttemptFailure.NONE)).isFalse();
    }

    @Test
    void retriableStatusCodesRetryTheListedCodes() {
        var policy = new RetryPolicy(1, Duration.ZERO, Set.of(RetryOn.RETRIABLE_STATUS_CODES), Set.of(429, 503), false);
        assertThat(policy.retriable(429, AttemptFailure.NONE)).isTrue();
        assertThat(policy.retriable(500, AttemptFailure.NONE)).isFalse();
    }

    @Test
    void postAndPatchAreNeverRetriedUnlessTheRouteAllowsIt() {
        var strict = on(RetryOn.FIVE_XX);
        assertThat(strict.allowsMethod("GET")).isTrue();
        assertThat(strict.allowsMethod("PUT")).isTrue();
        assertThat(strict.allowsMethod("POST")).isFalse();
        assertThat(strict.allowsMethod("PATCH")).isFalse();
        var lenient = new RetryPolicy(2, Duration.ZERO, Set.of(RetryOn.FIVE_XX), Set.of(), true);
        assertThat(lenient.allowsMethod("POST")).isTrue();
    }

    @Test
    void rejectsTooManyAttemptsNamingTheField() {
        assertThatThrownBy(() -> new RetryPolicy(11, Duration.ZERO, Set.of(), Set.of(), false))
                .hasMessage("retries.attempts: must be between 0 and 10, but was 11");
    }

    @Test
    void backoffStaysWithinJitterCeilings() {
        var max = new Backoff(bound -> bound - 1);
        assertThat(max.delayMillis(1)).isEqualTo(25);
        assertThat(max.delayMillis(2)).isEqualTo(75);
        assertThat(max.delayMillis(5)).isEqualTo(Backoff.MAX_MILLIS);
        assertThat(new Backoff(bound -> 0).delayMillis(3)).isZero();
    }

    @Test
    void budgetAllowsThreeConcurrentRetriesThenTwentyPercentOfActiveRequests() {
        var budget = new RetryBudget();
        for (int i = 0; i < 5; i++) {
            budget.requestStarted();
        }
        assertThat(budget.tryAcquireRetry()).isTrue();
        assertThat(budget.tryAcquireRetry()).isTrue();
        assertThat(budget.tryAcquireRetry()).isTrue();
        assertThat(budget.tryAcquireRetry()).isFalse();
        for (int i = 0; i < 15; i++) {
            budget.requestStarted();
        }
        assertThat(budget.tryAcquireRetry()).isTrue(); // 20 active: 4 allowed
        assertThat(budget.tryAcquireRetry()).isFalse();
        budget.releaseRetry();
        assertThat(budget.tryAcquireRetry()).isTrue();
        assertThat(budget.refused()).isEqualTo(2);
    }
}
