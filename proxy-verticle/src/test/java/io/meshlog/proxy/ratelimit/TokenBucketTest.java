package io.meshlog.proxy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    };

    private void advance(Duration duration) {
        now.set(now.get().plus(duration));
    }

    @Test
    void startsFullThenLimitsUntilTheNextFill() {
        var bucket = new TokenBucket(new RateLimitSpec(3, 2, Duration.ofSeconds(1), false), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.acquire()).isEqualTo(TokenBucket.Decision.ALLOWED);
        }
        assertThat(bucket.acquire()).isEqualTo(TokenBucket.Decision.LIMITED);
        advance(Duration.ofMillis(999));
        assertThat(bucket.acquire()).isEqualTo(TokenBucket.Decision.LIMITED);
        advance(Duration.ofMillis(1));
        assertThat(bucket.acquire()).isEqualTo(TokenBucket.Decision.ALLOWED);
        assertThat(bucket.acquire()).isEqualTo(TokenBucket.Decision.ALLOWED);
        assertThat(bucket.acquire()).isEqualTo(TokenBucket.Decision.LIMITED);
        assertThat(bucket.limited()).isEqualTo(3);
    }

    @Test
    void neverHoldsMoreThanMaxTokens() {
        var bucket = new TokenBucket(new RateLimitSpec(2, 1, Duration.ofMillis(100), false), clock);
        advance(Duration.ofSeconds(60));
        assertThat(bucket.acquire()).isEqualTo(TokenBucket.Decision.ALLOWED);
        assertThat(bucket.acquire()).isEqualTo(TokenBucket.Decision.ALLOWED);
        assertThat(bucket.acquire()).isEqualTo(TokenBucket.Decision.LIMITED);
    }

    @Test
    void shadowModeCountsButLetsThrough() {
        var bucket = new TokenBucket(new RateLimitSpec(1, 1, Duration.ofSeconds(1), true), clock);
        assertThat(bucket.acquire()).isEqualTo(TokenBucket.Decision.ALLOWED);
        assertThat(bucket.acquire()).isEqualTo(TokenBucket.Decision.SHADOW_LIMITED);
        assertThat(bucket.limited()).isEqualTo(1);
    }

    @Test
    void keepsTokensAcrossSnapshotsWhileTheSpecIsUnchanged() {
        var limiters = new RateLimiters(clock, new GlobalRateLimits((key, proxy, demand) -> Map.of(), "p",
                GlobalRateLimitSettings.DEFAULT, clock, false));
        var spec = new RateLimitSpec(1, 1, Duration.ofSeconds(1), false);
        limiters.bucket("k", spec).acquire();
        assertThat(limiters.bucket("k", spec).acquire()).isEqualTo(TokenBucket.Decision.LIMITED);
        assertThat(limiters.bucket("k", new RateLimitSpec(2, 1, Duration.ofSeconds(1), false)).acquire())
                .isEqualTo(TokenBucket.Decision.ALLOWED);
    }

    @Test
    void handsOutEachTokenOnceToConcurrentEventLoops() throws Exception {
        var bucket = new TokenBucket(new RateLimitSpec(10_000, 1, Duration.ofHours(1), false), clock);
        var allowed = new java.util.concurrent.atomic.AtomicInteger();
        var start = new java.util.concurrent.CountDownLatch(1);
        var threads = new java.util.ArrayList<Thread>();
        for (int t = 0; t < 4; t++) {
            var thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 5_000; i++) {
                    if (bucket.acquire() == TokenBucket.Decision.ALLOWED) {
                        allowed.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (var thread : threads) {
            thread.join();
        }
        assertThat(allowed.get()).isEqualTo(10_000);
        assertThat(bucket.limited()).isEqualTo(10_000);
    }

    @Test
    void rejectsAnEmptyBucketWithTheFieldName() {
        assertThatThrownBy(() -> new RateLimitSpec(0, 1, Duration.ofSeconds(1), false))
                .hasMessageContaining("tokenBucket.maxTokens").hasMessageContaining("but was 0");
    }
}
