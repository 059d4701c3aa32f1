package io.meshlog.pipeline.retrybudget;

import io.meshlog.pipeline.timeseries.BucketRing;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The retry budget of one destination service over all its callers: original requests and
 * retries counted in {@value #BUCKETS} buckets of {@code ttl / 10}, so the window slides in steps
 * of a tenth of the ttl and covers between 0.9 and 1 ttl of event time.
 *
 * <p>Not thread-safe: owned by the stream task of the service's partition.
 */
public final class RetryBudget {
    static final int BUCKETS = 10;

    private final RetryBudgetConfig config;
    private final BucketRing ring;
    private Snapshot lastEmitted;

    public RetryBudget(RetryBudgetConfig config) {
        this.config = config;
        this.ring = new BucketRing(Math.max(1, config.ttl().toMillis() / BUCKETS), BUCKETS, BUCKETS);
    }

    /**
     * The budget at one moment.
     *
     * @param originalRequests first attempts in the window
     * @param retries retries in the window
     * @param allowedRetries the formula over {@code originalRequests}
     * @param remaining retries still allowed (never negative)
     * @param exhausted whether no retry is allowed now
     */
    public record Snapshot(long originalRequests, long retries, long allowedRetries, long remaining,
            boolean exhausted) {}

    public RetryBudgetConfig config() {
        return config;
    }

    /** Counts {@code weight} attempts at {@code timeMillis} (event time); very late attempts are ignored. */
    public void record(long timeMillis, int weight, boolean retry) {
        ring.add(timeMillis, retry ? 0 : weight, retry ? weight : 0);
    }

    public Snapshot snapshot() {
        long originals = ring.sumA(0);
        long retries = ring.sumB(0);
        long allowed = config.allowedRetries(originals);
        return new Snapshot(originals, retries, allowed, Math.max(0, allowed - retries), retries >= allowed);
    }

    /**
     * Whether {@code now} is worth telling the proxies: the first state, a flip of exhausted, or
     * remaining moved by at least a tenth of the allowance (and at least one) since the last
     * emitted state. Records {@code now} as emitted when it is.
     */
    public boolean shouldEmit(Snapshot now) {
        var last = lastEmitted;
        boolean emit = last == null || last.exhausted() != now.exhausted()
                || Math.abs(last.remaining() - now.remaining()) >= Math.max(1, now.allowedRetries() / 10);
        if (emit) {
            lastEmitted = now;
        }
        return emit;
    }

    /** Config, ring and last emitted state, for the state store. */
    public byte[] encode() {
        var out = ByteBuffer.allocate(8 + 4 + 8 + ring.encodedSize() + 1 + 8 + 8 + 8 + 1);
        out.putDouble(config.retryRatio()).putInt(config.minRetriesPerSecond()).putLong(config.ttl().toMillis());
        ring.writeTo(out);
        if (lastEmitted == null) {
            out.put((byte) 0).putLong(0).putLong(0).putLong(0).put((byte) 0);
        } else {
            out.put((byte) 1).putLong(lastEmitted.retries()).putLong(lastEmitted.allowedRetries())
                    .putLong(lastEmitted.remaining()).put((byte) (lastEmitted.exhausted() ? 1 : 0));
        }
        return out.array();
    }

    /** What {@link #encode()} wrote; the ring is dropped if the config has changed since. */
    public static RetryBudget decode(byte[] bytes, RetryBudgetConfig current) {
        var in = ByteBuffer.wrap(bytes);
        var stored = new RetryBudgetConfig(in.getDouble(), in.getInt(), Duration.ofMillis(in.getLong()));
        var budget = new RetryBudget(current);
        if (!stored.ttl().equals(current.ttl())) {
            return budget;
        }
        budget.ring.readFrom(in);
        if (in.get() == 1) {
            long retries = in.getLong();
            long allowed = in.getLong();
            long remaining = in.getLong();
            budget.lastEmitted = new Snapshot(0, retries, allowed, remaining, in.get() == 1);
        }
        return budget;
    }
}
