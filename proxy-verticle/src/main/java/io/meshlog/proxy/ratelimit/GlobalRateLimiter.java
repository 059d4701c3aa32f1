package io.meshlog.proxy.ratelimit;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * This proxy's share of one global limit. The request path only touches local state: it counts
 * demand in a {@link LongAdder} and takes a permit with one compare-and-set on a GCRA clock (the
 * "generic cell rate algorithm": a token bucket kept as one number, the theoretical arrival time of
 * the next request), so it is lock-free and never waits on the network.
 *
 * <p>The {@link GlobalRateLimits} refresher sets the share every refresh interval from the demand
 * every proxy published: {@code share = limit × max(own, floor) / Σ max(demand, floor)}, with a
 * floor of {@value #FLOOR_FRACTION} of the limit so an idle proxy can still admit its first
 * requests. The shares add up to the limit, and when every proxy wants more than its share each
 * uses its share fully, so the admitted total is the limit.
 *
 * <p>When no exchange has succeeded for {@code unavailableAfter}, the {@link
 * GlobalLimitSpec.FailureMode failure mode} decides every request.
 */
public final class GlobalRateLimiter implements RequestLimiter {
    /** Share of the limit an idle proxy is always granted, so it can start. */
    static final double FLOOR_FRACTION = 0.01;
    /** Longest interval between permits (a share near zero), keeps the arithmetic far from overflow. */
    private static final long MAX_INTERVAL_MICROS = 3_600_000_000L;
    /**
     * Refreshes the published demand is averaged over. Proxies read each other's demand at
     * different moments; a short, jumpy estimate lets the shares computed from those readings add
     * up to more than the limit, so demand is averaged over about a second.
     */
    static final int DEMAND_WINDOW = 4;

    private final String key;
    private final GlobalLimitSpec spec;
    private final Clock clock;
    private final long burstMicros;
    private final long unavailableAfterMillis;
    private final LongAdder demand = new LongAdder();
    private final LongAdder admitted = new LongAdder();
    private final LongAdder limited = new LongAdder();
    private final LongAdder failureModeDecisions = new LongAdder();
    private final AtomicLong theoreticalArrivalMicros = new AtomicLong(Long.MIN_VALUE / 4);
    private volatile long intervalMicros = MAX_INTERVAL_MICROS;
    private volatile double share;
    private volatile int peers;
    private volatile long lastExchangeMillis = Long.MIN_VALUE / 4;
    private volatile String lastError;
    // written and read by the refresher thread only: requests and elapsed time of the last refreshes
    private final long[] windowCounts = new long[DEMAND_WINDOW];
    private final long[] windowMillis = new long[DEMAND_WINDOW];
    private int windowNext;
    private long lastMeasureMillis;

    GlobalRateLimiter(String key, GlobalLimitSpec spec, GlobalRateLimitSettings settings, Clock clock) {
        this.key = key;
        this.spec = spec;
        this.clock = clock;
        this.burstMicros = settings.refreshInterval().toMillis() * 1000;
        this.unavailableAfterMillis = settings.unavailableAfter().toMillis();
        this.lastMeasureMillis = clock.millis();
    }

    /** The policy key (and route) this limit belongs to. */
    public String key() {
        return key;
    }

    public GlobalLimitSpec spec() {
        return spec;
    }

    @Override
    public TokenBucket.Decision acquire() {
        demand.increment();
        long nowMillis = clock.millis();
        if (nowMillis - lastExchangeMillis > unavailableAfterMillis) {
            failureModeDecisions.increment();
            return spec.failureMode() == GlobalLimitSpec.FailureMode.FAIL_OPEN ? admit() : refuse();
        }
        long now = nowMillis * 1000;
        long interval = intervalMicros;
        while (true) {
            long arrival = theoreticalArrivalMicros.get();
            long start = Math.max(arrival, now);
            if (start - now > burstMicros) {
                return refuse();
            }
            if (theoreticalArrivalMicros.compareAndSet(arrival, start + interval)) {
                return admit();
            }
        }
    }

    private TokenBucket.Decision admit() {
        admitted.increment();
        return TokenBucket.Decision.ALLOWED;
    }

    private TokenBucket.Decision refuse() {
        limited.increment();
        if (spec.shadow()) {
            admitted.increment();
            return TokenBucket.Decision.SHADOW_LIMITED;
        }
        return TokenBucket.Decision.LIMITED;
    }

    @Override
    public long limited() {
        return limited.sum();
    }

    /** Requests let through (in shadow mode, also those only counted as limited). */
    public long admitted() {
        return admitted.sum();
    }

    /** Requests decided by the failure mode while the shared counters were unreachable. */
    public long failureModeDecisions() {
        return failureModeDecisions.sum();
    }

    /** This proxy's current share, requests per second. */
    public double share() {
        return share;
    }

    /** How many proxies (this one included) shared the limit at the last exchange. */
    public int peers() {
        return peers;
    }

    /** Whether the failure mode decides requests now (no exchange succeeded lately). */
    public boolean unavailable() {
        return clock.millis() - lastExchangeMillis > unavailableAfterMillis;
    }

    /** Milliseconds since the last successful exchange, -1 before the first. */
    public long millisSinceLastExchange() {
        long last = lastExchangeMillis;
        return last == Long.MIN_VALUE / 4 ? -1 : clock.millis() - last;
    }

    /** Why the last exchange failed (null when it succeeded or is still waiting for Hazelcast). */
    public String lastError() {
        return lastError;
    }

    /** Refresher thread: this proxy's demand over the last {@value #DEMAND_WINDOW} calls, requests per second. */
    double measureDemand() {
        long now = clock.millis();
        windowCounts[windowNext] = demand.sumThenReset();
        windowMillis[windowNext] = Math.max(1, now - lastMeasureMillis);
        windowNext = (windowNext + 1) % DEMAND_WINDOW;
        lastMeasureMillis = now;
        long requests = 0;
        long millis = 0;
        for (int i = 0; i < DEMAND_WINDOW; i++) {
            requests += windowCounts[i];
            millis += windowMillis[i];
        }
        return requests * 1000.0 / millis;
    }

    /** Refresher thread: sets this proxy's share from everyone's demand. */
    void applyDemands(Map<String, Double> demands, String self, double ownDemand) {
        double limit = spec.perSecond();
        double floor = limit * FLOOR_FRACTION;
        double total = Math.max(ownDemand, floor);
        int count = 1;
        for (var entry : demands.entrySet()) {
            if (!entry.getKey().equals(self)) {
                total += Math.max(entry.getValue(), floor);
                count++;
            }
        }
        double newShare = limit * Math.max(ownDemand, floor) / total;
        share = newShare;
        peers = count;
        intervalMicros = (long) Math.min(MAX_INTERVAL_MICROS, 1_000_000.0 / newShare);
        lastError = null;
        lastExchangeMillis = clock.millis();
    }

    /** Refresher thread: the exchange failed; the failure mode applies once it has failed for long enough. */
    void exchangeFailed(String error) {
        lastError = error;
    }
}
