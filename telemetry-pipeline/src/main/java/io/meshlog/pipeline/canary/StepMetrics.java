package io.meshlog.pipeline.canary;

import io.meshlog.schemas.v1.CanaryStepMetrics;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * One subset's requests in the current step: count, failures (5xx or no answer) and a latency
 * histogram for the p99. Mutable; owned by one {@link CanaryRun}.
 */
final class StepMetrics {
    /** Durations above an hour are recorded as an hour. */
    private static final long MAX_MICROS = 3_600_000_000L;

    private long requests;
    private long failures;
    private Histogram durations = newHistogram();

    /** Counts {@code weight} requests alike (a sampled success stands for several). */
    void record(int status, long durationMicros, int weight) {
        requests += weight;
        if (status == 0 || status >= 500) {
            failures += weight;
        }
        durations.recordValueWithCount(Math.max(0, Math.min(durationMicros, MAX_MICROS)), weight);
    }

    long requests() {
        return requests;
    }

    /** Percent of requests that succeeded; NaN without requests (which never passes a check). */
    double successRate() {
        return requests == 0 ? Double.NaN : 100.0 * (requests - failures) / requests;
    }

    /** p99 of the durations in milliseconds; NaN without requests. */
    double p99Millis() {
        return requests == 0 ? Double.NaN : durations.getValueAtPercentile(99) / 1000.0;
    }

    void reset() {
        requests = 0;
        failures = 0;
        durations.reset();
    }

    CanaryStepMetrics toStatus() {
        return CanaryStepMetrics.newBuilder().setRequests(requests).setFailures(failures)
                .setSuccessRate(requests == 0 ? null : successRate())
                .setP99Millis(requests == 0 ? null : p99Millis()).build();
    }

    void encode(ByteBuffer out) {
        out.putLong(requests).putLong(failures);
        var histogram = ByteBuffer.allocate(durations.getNeededByteBufferCapacity());
        int length = durations.encodeIntoCompressedByteBuffer(histogram);
        out.putInt(length).put(histogram.array(), 0, length);
    }

    int encodedSizeBound() {
        return 2 * Long.BYTES + Integer.BYTES + durations.getNeededByteBufferCapacity();
    }

    static StepMetrics decode(ByteBuffer in) {
        var metrics = new StepMetrics();
        metrics.requests = in.getLong();
        metrics.failures = in.getLong();
        var bytes = new byte[in.getInt()];
        in.get(bytes);
        try {
            metrics.durations = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), MAX_MICROS);
        } catch (DataFormatException e) {
            throw new IllegalStateException("corrupt canary histogram: " + e.getMessage(), e);
        }
        return metrics;
    }

    private static Histogram newHistogram() {
        return new Histogram(MAX_MICROS, 2);
    }
}
