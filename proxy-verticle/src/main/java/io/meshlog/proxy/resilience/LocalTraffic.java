package io.meshlog.proxy.resilience;

import java.time.Duration;
import java.util.Arrays;

/**
 * This proxy's own original requests and retries to one destination service, counted in small
 * time buckets so they can be summed over the telemetry pipeline's retry-budget window as it stood
 * at any recent moment. The pipeline's window is ten buckets of {@code window / 10} aligned on the
 * epoch, the newest one partly filled; each of those is split here into {@value #SUB_BUCKETS}, so
 * the sum stops close to the moment asked for. Thread-safe (every method is synchronized: a few
 * array operations per request).
 */
final class LocalTraffic {
    /** The pipeline's window, in its buckets ({@code RetryBudget.BUCKETS}). */
    static final int PIPELINE_BUCKETS = 10;
    /** How finely each pipeline bucket is counted here. */
    static final int SUB_BUCKETS = 20;
    /** The window, plus three pipeline buckets of history for decisions that arrive late. */
    private static final int SIZE = SUB_BUCKETS * (PIPELINE_BUCKETS + 3);

    /** What this proxy sent in a window. */
    record Counts(long originals, long retries) {}

    private final Duration window;
    private final long pipelineBucketMillis;
    private final long widthMillis;
    private final long[] ids = new long[SIZE];
    private final long[] originals = new long[SIZE];
    private final long[] retries = new long[SIZE];

    LocalTraffic(Duration window) {
        this.window = window;
        this.pipelineBucketMillis = Math.max(1, window.toMillis() / PIPELINE_BUCKETS);
        this.widthMillis = Math.max(1, pipelineBucketMillis / SUB_BUCKETS);
        Arrays.fill(ids, Long.MIN_VALUE);
    }

    Duration window() {
        return window;
    }

    /** Counts one original request ({@code retry} false) or one retry at {@code nowMillis}. */
    synchronized void add(long nowMillis, boolean retry) {
        long id = Math.floorDiv(nowMillis, widthMillis);
        int slot = slot(id);
        if (ids[slot] != id) {
            if (ids[slot] > id) {
                return; // older than the ring holds
            }
            ids[slot] = id;
            originals[slot] = 0;
            retries[slot] = 0;
        }
        if (retry) {
            retries[slot]++;
        } else {
            originals[slot]++;
        }
    }

    /**
     * What was sent in the pipeline's window as it stood at {@code atMillis}: from the start of the
     * pipeline bucket nine before the one holding {@code atMillis}, up to {@code atMillis} (to the
     * end of its small bucket).
     */
    synchronized Counts at(long atMillis) {
        long windowStart = (Math.floorDiv(atMillis, pipelineBucketMillis) - (PIPELINE_BUCKETS - 1)) * pipelineBucketMillis;
        long to = Math.floorDiv(atMillis, widthMillis);
        long from = Math.max(Math.floorDiv(windowStart, widthMillis), to - SIZE + 1);
        long sentOriginals = 0;
        long sentRetries = 0;
        for (long id = from; id <= to; id++) {
            int slot = slot(id);
            if (ids[slot] == id) {
                sentOriginals += originals[slot];
                sentRetries += retries[slot];
            }
        }
        return new Counts(sentOriginals, sentRetries);
    }

    private static int slot(long id) {
        return (int) Math.floorMod(id, (long) SIZE);
    }
}
