package io.meshlog.proxy.ratelimit;

import java.time.Clock;

/**
 * One token bucket: full at start, {@code tokensPerFill} added per whole {@code fillInterval}
 * elapsed (computed when asked, no timer), never above {@code maxTokens}. In shadow mode a
 * request without a token is counted and let through.
 */
public final class TokenBucket implements RequestLimiter {
    private final RateLimitSpec spec;
    private final Clock clock;
    private final long intervalMillis;
    private long tokens;
    private long lastFillMillis;
    private long limited;

    public TokenBucket(RateLimitSpec spec, Clock clock) {
        this.spec = spec;
        this.clock = clock;
        this.intervalMillis = spec.fillInterval().toMillis();
        this.tokens = spec.maxTokens();
        this.lastFillMillis = clock.millis();
    }

    public RateLimitSpec spec() {
        return spec;
    }

    /** What a request that asked for a token gets. */
    public enum Decision { ALLOWED, LIMITED, SHADOW_LIMITED }

    @Override
    public synchronized Decision acquire() {
        refill();
        if (tokens > 0) {
            tokens--;
            return Decision.ALLOWED;
        }
        limited++;
        return spec.shadow() ? Decision.SHADOW_LIMITED : Decision.LIMITED;
    }

    @Override
    public synchronized long limited() {
        return limited;
    }

    private void refill() {
        long now = clock.millis();
        long fills = (now - lastFillMillis) / intervalMillis;
        if (fills > 0) {
            tokens = Math.min(spec.maxTokens(), tokens + fills * spec.tokensPerFill());
            lastFillMillis += fills * intervalMillis;
        }
    }
}
