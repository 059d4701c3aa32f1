package io.meshlog.proxy.ratelimit;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One token bucket: full at start, {@code tokensPerFill} added per whole {@code fillInterval}
 * elapsed (computed when asked, no timer), never above {@code maxTokens}. In shadow mode a
 * request without a token is counted and let through.
 *
 * <p>Lock-free, as Resilience4j's {@code AtomicRateLimiter}: the tokens and the time of the last
 * fill are one immutable state swapped by compare-and-set, so event loops taking tokens from the
 * same bucket never block each other; a lost race recomputes from the winner's state.
 */
public final class TokenBucket implements RequestLimiter {
    private final RateLimitSpec spec;
    private final Clock clock;
    private final long intervalMillis;
    private final AtomicReference<State> state;
    private final LongAdder limited = new LongAdder();

    /** The tokens left as of the fill at {@code lastFillMillis}. */
    private record State(long tokens, long lastFillMillis) {}

    public TokenBucket(RateLimitSpec spec, Clock clock) {
        this.spec = spec;
        this.clock = clock;
        this.intervalMillis = spec.fillInterval().toMillis();
        this.state = new AtomicReference<>(new State(spec.maxTokens(), clock.millis()));
    }

    public RateLimitSpec spec() {
        return spec;
    }

    /** What a request that asked for a token gets. */
    public enum Decision { ALLOWED, LIMITED, SHADOW_LIMITED }

    @Override
    public Decision acquire() {
        long now = clock.millis();
        while (true) {
            var current = state.get();
            var filled = refilled(current, now);
            if (filled.tokens() <= 0) {
                if (filled != current) {
                    state.compareAndSet(current, filled); // keep the fill; losing this race changes nothing
                }
                limited.increment();
                return spec.shadow() ? Decision.SHADOW_LIMITED : Decision.LIMITED;
            }
            if (state.compareAndSet(current, new State(filled.tokens() - 1, filled.lastFillMillis()))) {
                return Decision.ALLOWED;
            }
        }
    }

    @Override
    public long limited() {
        return limited.sum();
    }

    private State refilled(State current, long now) {
        long fills = (now - current.lastFillMillis()) / intervalMillis;
        if (fills <= 0) {
            return current;
        }
        long tokens = Math.min(spec.maxTokens(), current.tokens() + fills * spec.tokensPerFill());
        return new State(tokens, current.lastFillMillis() + fills * intervalMillis);
    }
}
