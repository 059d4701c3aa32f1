package io.meshlog.proxy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.testsupport.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Five simulated proxies sharing one limit through the in-memory counter, on a hand-moved clock. */
class GlobalRateLimiterTest {
    private static final GlobalRateLimitSettings SETTINGS = GlobalRateLimitSettings.DEFAULT;
    private static final GlobalLimitSpec LIMIT_100_PER_SECOND =
            new GlobalLimitSpec(100, Duration.ofSeconds(1), GlobalLimitSpec.FailureMode.FAIL_OPEN, false);

    private final MutableClock clock = new MutableClock();
    private final InMemoryGlobalRateCounter counter = new InMemoryGlobalRateCounter(clock, SETTINGS.unavailableAfter());

    /** One proxy: its limits (refreshed by hand) and its limiter of the shared policy. */
    private record Proxy(GlobalRateLimits limits, GlobalRateLimiter limiter) {}

    private List<Proxy> proxies(int count, GlobalLimitSpec spec, GlobalRateCounter shared) {
        var proxies = new ArrayList<Proxy>();
        for (int i = 0; i < count; i++) {
            var limits = new GlobalRateLimits(shared, "proxy-" + i, SETTINGS, clock, false);
            proxies.add(new Proxy(limits, limits.limiter("RateLimitPolicy/shop/global", spec)));
        }
        return proxies;
    }

    /**
     * Runs {@code millis} of traffic: proxy i gets {@code perSecond[i]} requests per second, spread
     * evenly over 1 ms steps; every refresh interval each proxy exchanges. Returns admitted per proxy.
     */
    private long[] run(List<Proxy> proxies, double[] perSecond, long millis) {
        long[] admitted = new long[proxies.size()];
        double[] owed = new double[proxies.size()];
        long refreshMillis = SETTINGS.refreshInterval().toMillis();
        for (long t = 0; t < millis; t++) {
            if (t % refreshMillis == 0) {
                proxies.forEach(p -> p.limits().refresh());
            }
            for (int i = 0; i < proxies.size(); i++) {
                owed[i] += perSecond[i] / 1000;
                for (; owed[i] >= 1; owed[i]--) {
                    if (proxies.get(i).limiter().acquire() == TokenBucket.Decision.ALLOWED) {
                        admitted[i]++;
                    }
                }
            }
            clock.advance(Duration.ofMillis(1));
        }
        return admitted;
    }

    @Test
    void fiveProxiesWithSkewedTrafficAdmitTheGlobalLimitWithinTenPercent() {
        var proxies = proxies(5, LIMIT_100_PER_SECOND, counter);
        // one proxy gets 80% of 200 requests/s, four get 5% each: twice the limit
        double[] traffic = {160, 10, 10, 10, 10};
        run(proxies, traffic, 2_000); // converge

        long[] admitted = run(proxies, traffic, 5_000);

        double total = 0;
        for (long a : admitted) {
            total += a;
        }
        assertThat(total / 5).isBetween(90.0, 110.0);
        // shares follow demand: the busy proxy gets about 80% of the limit
        assertThat(admitted[0] / 5.0).isBetween(72.0, 88.0);
    }

    @Test
    void underTheLimitEveryRequestIsAdmitted() {
        var proxies = proxies(5, LIMIT_100_PER_SECOND, counter);
        double[] traffic = {64, 4, 4, 4, 4};
        run(proxies, traffic, 2_000);

        long[] admitted = run(proxies, traffic, 5_000);

        assertThat(admitted).containsExactly(320, 20, 20, 20, 20);
    }

    @Test
    void anIdleProxyKeepsAFloorShareAndTheBusyOnesTheRest() {
        var proxies = proxies(2, LIMIT_100_PER_SECOND, counter);
        run(proxies, new double[] {300, 0}, 2_000);

        assertThat(proxies.get(1).limiter().share()).isGreaterThan(0).isLessThan(2);
        assertThat(proxies.get(0).limiter().share()).isGreaterThan(98);
        assertThat(proxies.get(0).limiter().peers()).isEqualTo(2);
    }

    @Test
    void failOpenAdmitsEverythingOnceTheCountersAreUnreachableAndSharesAgainWhenTheyAreBack() {
        var reachable = new AtomicBoolean(true);
        var proxies = proxies(1, LIMIT_100_PER_SECOND, flaky(reachable));
        run(proxies, new double[] {200}, 2_000);
        var limiter = proxies.get(0).limiter();

        reachable.set(false);
        run(proxies, new double[] {200}, SETTINGS.unavailableAfter().toMillis() + 10);
        assertThat(limiter.unavailable()).isTrue();
        assertThat(limiter.lastError()).contains("unreachable");
        assertThat(run(proxies, new double[] {200}, 1_000)[0]).isEqualTo(200);
        assertThat(limiter.failureModeDecisions()).isPositive();

        reachable.set(true);
        run(proxies, new double[] {200}, 1_000);
        assertThat(limiter.unavailable()).isFalse();
        assertThat(run(proxies, new double[] {200}, 2_000)[0] / 2.0).isBetween(90.0, 110.0);
    }

    @Test
    void failClosedRefusesEverythingWhileTheCountersAreUnreachable() {
        var reachable = new AtomicBoolean(true);
        var failClosed = new GlobalLimitSpec(100, Duration.ofSeconds(1), GlobalLimitSpec.FailureMode.FAIL_CLOSED, false);
        var proxies = proxies(1, failClosed, flaky(reachable));
        run(proxies, new double[] {50}, 2_000);

        reachable.set(false);
        run(proxies, new double[] {50}, SETTINGS.unavailableAfter().toMillis() + 10);

        assertThat(run(proxies, new double[] {50}, 1_000)[0]).isZero();
        assertThat(proxies.get(0).limiter().unavailable()).isTrue();
    }

    @Test
    void beforeTheFirstExchangeTheFailureModeDecides() {
        var limits = new GlobalRateLimits(counter, "proxy-0", SETTINGS, clock, false);
        var failClosed = new GlobalLimitSpec(100, Duration.ofSeconds(1), GlobalLimitSpec.FailureMode.FAIL_CLOSED, false);

        assertThat(limits.limiter("k", failClosed).acquire()).isEqualTo(TokenBucket.Decision.LIMITED);
        limits.refresh();
        assertThat(limits.limiter("k", failClosed).acquire()).isEqualTo(TokenBucket.Decision.ALLOWED);
    }

    @Test
    void shadowModeOnlyCountsWhatItWouldLimit() {
        var shadow = new GlobalLimitSpec(10, Duration.ofSeconds(1), GlobalLimitSpec.FailureMode.FAIL_OPEN, true);
        var limits = new GlobalRateLimits(counter, "proxy-0", SETTINGS, clock, false);
        var limiter = limits.limiter("k", shadow);
        limits.refresh();

        var decisions = new java.util.EnumMap<TokenBucket.Decision, Integer>(TokenBucket.Decision.class);
        for (int i = 0; i < 100; i++) {
            decisions.merge(limiter.acquire(), 1, Integer::sum);
        }

        assertThat(decisions).doesNotContainKey(TokenBucket.Decision.LIMITED);
        assertThat(decisions.get(TokenBucket.Decision.SHADOW_LIMITED)).isGreaterThan(90);
        assertThat(limiter.admitted()).isEqualTo(100);
    }

    private GlobalRateCounter flaky(AtomicBoolean reachable) {
        return (key, proxy, demand) -> {
            if (!reachable.get()) {
                throw new IllegalStateException("counters unreachable");
            }
            return counter.exchange(key, proxy, demand);
        };
    }

    @Test
    void aChangedSpecStartsANewLimiterAndAnUnchangedOneKeepsIt() {
        var limits = new GlobalRateLimits(counter, "proxy-0", SETTINGS, clock, false);
        var first = limits.limiter("k", LIMIT_100_PER_SECOND);

        assertThat(limits.limiter("k", LIMIT_100_PER_SECOND)).isSameAs(first);
        assertThat(limits.limiter("k", new GlobalLimitSpec(5, Duration.ofSeconds(1),
                GlobalLimitSpec.FailureMode.FAIL_OPEN, false))).isNotSameAs(first);
        limits.retain(java.util.Set.of());
        assertThat(limits.all()).isEmpty();
    }
}
