package io.meshlog.pipeline.timeseries;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Two counters ({@code a}, {@code b}) per fixed-width time bucket, over the last {@code size}
 * buckets, with running sums over a few registered trailing windows so that reading a window's
 * total costs O(1) however many buckets it spans.
 *
 * <p>A window of {@code w} buckets covers buckets {@code (head - w, head]}, where {@code head} is
 * the newest bucket seen. Adding to a newer bucket slides every window forward; adding to an
 * older bucket still inside the ring updates the windows that cover it; older data is refused.
 *
 * <p>Not thread-safe: owned by one stream task.
 */
public final class BucketRing {
    private static final long EMPTY = Long.MIN_VALUE;

    private final long widthMillis;
    private final long[] a;
    private final long[] b;
    private final int[] windows;
    private final long[] sumA;
    private final long[] sumB;
    private long head = EMPTY;

    /**
     * @param widthMillis the width of one bucket
     * @param size how many buckets are kept
     * @param windowBuckets the trailing windows to keep sums for, in buckets, each in [1, size]
     */
    public BucketRing(long widthMillis, int size, int... windowBuckets) {
        if (widthMillis <= 0 || size <= 0) {
            throw new IllegalArgumentException("bucket width and size must be positive, but were "
                    + widthMillis + " and " + size);
        }
        for (int w : windowBuckets) {
            if (w < 1 || w > size) {
                throw new IllegalArgumentException("window of " + w + " buckets outside [1, " + size + "]");
            }
        }
        this.widthMillis = widthMillis;
        this.a = new long[size];
        this.b = new long[size];
        this.windows = windowBuckets.clone();
        this.sumA = new long[windows.length];
        this.sumB = new long[windows.length];
    }

    public long widthMillis() {
        return widthMillis;
    }

    public int size() {
        return a.length;
    }

    /** The bucket index that {@code timeMillis} falls into. */
    public long bucketOf(long timeMillis) {
        return Math.floorDiv(timeMillis, widthMillis);
    }

    /** The newest bucket index seen, or {@link Long#MIN_VALUE} when nothing was added yet. */
    public long head() {
        return head;
    }

    /**
     * Adds to the bucket of {@code timeMillis}.
     *
     * @return false when the time is older than the ring holds (the data is dropped)
     */
    public boolean add(long timeMillis, long da, long db) {
        return addToBucket(bucketOf(timeMillis), da, db);
    }

    /** Adds to bucket {@code index} (see {@link #add}). */
    public boolean addToBucket(long index, long da, long db) {
        if (head == EMPTY) {
            head = index;
        } else if (index > head) {
            advanceToBucket(index);
        }
        if (index <= head - a.length) {
            return false;
        }
        int slot = slot(index);
        a[slot] += da;
        b[slot] += db;
        for (int i = 0; i < windows.length; i++) {
            if (index > head - windows[i]) {
                sumA[i] += da;
                sumB[i] += db;
            }
        }
        return true;
    }

    /** Slides the ring so that the bucket of {@code timeMillis} is the newest (no-op if older). */
    public void advanceTo(long timeMillis) {
        long index = bucketOf(timeMillis);
        if (head == EMPTY) {
            head = index;
        } else if (index > head) {
            advanceToBucket(index);
        }
    }

    private void advanceToBucket(long newHead) {
        if (newHead - head >= a.length) {
            Arrays.fill(a, 0);
            Arrays.fill(b, 0);
            Arrays.fill(sumA, 0);
            Arrays.fill(sumB, 0);
            head = newHead;
            return;
        }
        for (long next = head + 1; next <= newHead; next++) {
            for (int i = 0; i < windows.length; i++) {
                int leaving = slot(next - windows[i]);
                sumA[i] -= a[leaving];
                sumB[i] -= b[leaving];
            }
            int slot = slot(next);
            a[slot] = 0;
            b[slot] = 0;
        }
        head = newHead;
    }

    /** Sum of counter a over registered window number {@code window} (its index in the constructor). */
    public long sumA(int window) {
        return sumA[window];
    }

    /** Sum of counter b over registered window number {@code window}. */
    public long sumB(int window) {
        return sumB[window];
    }

    /** Counter a of bucket {@code index}, 0 when outside the ring. */
    public long bucketA(long index) {
        return inRing(index) ? a[slot(index)] : 0;
    }

    /** Counter b of bucket {@code index}, 0 when outside the ring. */
    public long bucketB(long index) {
        return inRing(index) ? b[slot(index)] : 0;
    }

    /** Whether bucket {@code index} is one the ring still holds. */
    public boolean inRing(long index) {
        return head != EMPTY && index <= head && index > head - a.length;
    }

    private int slot(long index) {
        return (int) Math.floorMod(index, (long) a.length);
    }

    /** Bytes needed by {@link #writeTo}. */
    public int encodedSize() {
        return Long.BYTES + 2 * Long.BYTES * a.length;
    }

    /** Writes the head and every bucket (the window sums are recomputed on {@link #readFrom}). */
    public void writeTo(ByteBuffer out) {
        out.putLong(head);
        for (int i = 0; i < a.length; i++) {
            out.putLong(a[i]).putLong(b[i]);
        }
    }

    /** Replaces this ring's content with what {@link #writeTo} wrote for a ring of the same size. */
    public void readFrom(ByteBuffer in) {
        head = in.getLong();
        for (int i = 0; i < a.length; i++) {
            a[i] = in.getLong();
            b[i] = in.getLong();
        }
        recomputeSums();
    }

    private void recomputeSums() {
        Arrays.fill(sumA, 0);
        Arrays.fill(sumB, 0);
        if (head == EMPTY) {
            return;
        }
        for (int i = 0; i < windows.length; i++) {
            for (long index = head - windows[i] + 1; index <= head; index++) {
                sumA[i] += a[slot(index)];
                sumB[i] += b[slot(index)];
            }
        }
    }
}
