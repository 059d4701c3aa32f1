package io.meshlog.pipeline.timeseries;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BucketRingTest {
    @Test
    void windowSumsSlideWithTheNewestBucket() {
        var ring = new BucketRing(1000, 10, 3, 10);
        ring.add(0, 1, 0);
        ring.add(1500, 2, 1);
        ring.add(2999, 4, 0);
        assertThat(ring.sumA(0)).isEqualTo(7);
        assertThat(ring.sumB(0)).isEqualTo(1);
        ring.add(3000, 8, 0);
        assertThat(ring.sumA(0)).as("buckets 1..3").isEqualTo(14);
        assertThat(ring.sumA(1)).as("buckets 0..3").isEqualTo(15);
        ring.add(12_000, 16, 0);
        assertThat(ring.sumA(0)).as("buckets 10..12").isEqualTo(16);
        assertThat(ring.sumA(1)).as("buckets 3..12").isEqualTo(24);
    }

    @Test
    void lateDataCountsOnlyInTheWindowsThatCoverIt() {
        var ring = new BucketRing(1000, 10, 2, 10);
        ring.add(9000, 1, 1);
        assertThat(ring.add(5000, 10, 0)).isTrue();
        assertThat(ring.sumA(0)).isEqualTo(1);
        assertThat(ring.sumA(1)).isEqualTo(11);
        assertThat(ring.add(-1000, 100, 0)).as("older than the ring").isFalse();
        assertThat(ring.sumA(1)).isEqualTo(11);
    }

    @Test
    void aGapLongerThanTheRingEmptiesIt() {
        var ring = new BucketRing(1000, 10, 10);
        ring.add(0, 5, 5);
        ring.add(100_000, 1, 0);
        assertThat(ring.sumA(0)).isEqualTo(1);
        assertThat(ring.sumB(0)).isZero();
    }

    @Test
    void runningSumsMatchANaiveSumOverRandomTraffic() {
        var random = new Random(7);
        int size = 60;
        var ring = new BucketRing(100, size, 1, 7, 60);
        long[] perBucket = new long[10_000];
        long time = 0;
        for (int i = 0; i < 20_000; i++) {
            time += random.nextInt(40);
            long when = Math.max(0, time - random.nextInt(1500));
            long head = Math.max(ring.head(), when / 100);
            if (when / 100 > head - size && ring.add(when, 1, 0)) {
                perBucket[(int) (when / 100)]++;
            }
            for (int w = 0; w < 3; w++) {
                int window = new int[] {1, 7, 60}[w];
                long expected = 0;
                for (long b = ring.head() - window + 1; b <= ring.head(); b++) {
                    expected += b >= 0 ? perBucket[(int) b] : 0;
                }
                assertThat(ring.sumA(w)).as("window %d at %d", window, i).isEqualTo(expected);
            }
        }
    }

    @Test
    void encodedRingRestoresItsSums() {
        var ring = new BucketRing(1000, 5, 2, 5);
        for (int i = 0; i < 12; i++) {
            ring.add(i * 700L, i, 1);
        }
        var buffer = ByteBuffer.allocate(ring.encodedSize());
        ring.writeTo(buffer);
        var copy = new BucketRing(1000, 5, 2, 5);
        copy.readFrom(buffer.flip());
        assertThat(copy.head()).isEqualTo(ring.head());
        assertThat(copy.sumA(0)).isEqualTo(ring.sumA(0));
        assertThat(copy.sumA(1)).isEqualTo(ring.sumA(1));
        assertThat(copy.sumB(1)).isEqualTo(ring.sumB(1));
    }
}
