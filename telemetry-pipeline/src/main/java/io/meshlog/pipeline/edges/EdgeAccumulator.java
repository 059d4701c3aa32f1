package io.meshlog.pipeline.edges;

import io.meshlog.pipeline.ingest.EventWeight;
import io.meshlog.schemas.v1.EdgeMetrics;
import io.meshlog.schemas.v1.RequestTelemetry;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The traffic of one source → destination edge in one window: counts, bytes and a latency
 * histogram in microseconds (HdrHistogram, 2 significant digits, up to one hour), which merges
 * exactly across windows and instances.
 *
 * <p>Not thread-safe.
 */
public final class EdgeAccumulator {
    static final long HIGHEST_MICROS = 3_600_000_000L;
    static final int SIGNIFICANT_DIGITS = 2;

    /** Reused per stream thread: the histogram's worst-case size is tens of kilobytes. */
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocate(0));

    private long requests;
    private long errors4xx;
    private long errors5xx;
    private long retries;
    private long requestBytes;
    private long responseBytes;
    private final Histogram latency;
    private final Histogram overhead;

    public EdgeAccumulator() {
        this(newHistogram(), newHistogram());
    }

    private EdgeAccumulator(Histogram latency, Histogram overhead) {
        this.latency = latency;
        this.overhead = overhead;
    }

    private static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    }

    /**
     * Counts the attempts one event stands for ({@link EventWeight}); status 0 (no response) counts
     * as a 5xx. The byte counts of a weighted event are already its requests' totals.
     */
    public void add(RequestTelemetry t) {
        int weight = EventWeight.of(t);
        requests += weight;
        int status = t.getStatus();
        if (status >= 400 && status < 500) {
            errors4xx += weight;
        } else if (status >= 500 || status == 0) {
            errors5xx += weight;
        }
        if (t.getRetry()) {
            retries += weight;
        }
        requestBytes += t.getRequestBytes();
        responseBytes += t.getResponseBytes();
        latency.recordValueWithCount(Math.min(Math.max(1, t.getDurationMicros()), HIGHEST_MICROS), weight);
        if (t.getProxyMicros() > 0) { // 0: not measured (a proxy older than the field)
            overhead.recordValueWithCount(Math.min(t.getProxyMicros(), HIGHEST_MICROS), weight);
        }
    }

    public long requests() {
        return requests;
    }

    /** The window's metrics, with the histogram in HdrHistogram's compressed encoding. */
    public EdgeMetrics toMetrics(String source, String destination, long windowStart, long windowEnd) {
        var compressed = compressed(latency);
        return EdgeMetrics.newBuilder().setSource(source).setDestination(destination)
                .setWindowStart(Instant.ofEpochMilli(windowStart)).setWindowEnd(Instant.ofEpochMilli(windowEnd)).setRequests(requests)
                .setErrors4xx(errors4xx).setErrors5xx(errors5xx).setRetries(retries)
                .setRequestBytes(requestBytes).setResponseBytes(responseBytes)
                .setP50Millis(millisAt(50)).setP95Millis(millisAt(95)).setP99Millis(millisAt(99))
                .setLatencyHistogram(compressed)
                .setOverheadP50Millis(millisAt(overhead, 50)).setOverheadP95Millis(millisAt(overhead, 95))
                .setOverheadP99Millis(millisAt(overhead, 99)).setOverheadHistogram(compressed(overhead)).build();
    }

    private static ByteBuffer compressed(Histogram histogram) {
        var compressed = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        histogram.encodeIntoCompressedByteBuffer(compressed);
        compressed.flip();
        return compressed;
    }

    private double millisAt(double percentile) {
        return millisAt(latency, percentile);
    }

    private static double millisAt(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Decodes the latency histogram of an EdgeMetrics record (to merge or query it). */
    public static Histogram histogramOf(EdgeMetrics metrics) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(metrics.getLatencyHistogram().duplicate(), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("corrupt latency histogram in EdgeMetrics "
                    + metrics.getSource() + "->" + metrics.getDestination(), e);
        }
    }

    /** Decodes the sidecar-overhead histogram of an EdgeMetrics record; empty for a record written before it existed. */
    public static Histogram overheadHistogramOf(EdgeMetrics metrics) {
        if (!metrics.getOverheadHistogram().hasRemaining()) {
            return newHistogram();
        }
        try {
            return Histogram.decodeFromCompressedByteBuffer(metrics.getOverheadHistogram().duplicate(), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("corrupt overhead histogram in EdgeMetrics "
                    + metrics.getSource() + "->" + metrics.getDestination(), e);
        }
    }

    /** Counts and histograms, for the state store. */
    public byte[] encode() {
        int needed = 6 * Long.BYTES + latency.getNeededByteBufferCapacity() + overhead.getNeededByteBufferCapacity();
        var out = SCRATCH.get();
        if (out.capacity() < needed) {
            out = ByteBuffer.allocate(needed);
            SCRATCH.set(out);
        }
        out.clear();
        out.putLong(requests).putLong(errors4xx).putLong(errors5xx).putLong(retries)
                .putLong(requestBytes).putLong(responseBytes);
        latency.encodeIntoByteBuffer(out);
        overhead.encodeIntoByteBuffer(out);
        var bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    /** What {@link #encode()} wrote. */
    public static EdgeAccumulator decode(byte[] bytes) {
        var in = ByteBuffer.wrap(bytes);
        long requests = in.getLong();
        long e4 = in.getLong();
        long e5 = in.getLong();
        long retries = in.getLong();
        long reqBytes = in.getLong();
        long respBytes = in.getLong();
        var latency = Histogram.decodeFromByteBuffer(in, 0);
        // State written before the overhead histogram existed ends after the latency one.
        var overhead = in.hasRemaining() ? Histogram.decodeFromByteBuffer(in, 0) : newHistogram();
        var acc = new EdgeAccumulator(latency, overhead);
        acc.requests = requests;
        acc.errors4xx = e4;
        acc.errors5xx = e5;
        acc.retries = retries;
        acc.requestBytes = reqBytes;
        acc.responseBytes = respBytes;
        return acc;
    }
}
