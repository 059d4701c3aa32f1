package io.meshlog.policy.adoption;

import io.meshlog.schemas.v1.EdgeMetrics;
import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.ResponseFlag;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.HdrHistogram.Histogram;

/** Telemetry and edge windows as the proxies and the pipeline write them, for the adoption figures. */
public final class AdoptionFixtures {
    public static final Instant T0 = Instant.parse("2026-06-15T10:00:00Z");

    private AdoptionFixtures() {}

    /** A SOURCE try from {@code sourceWorkload} that reached {@code destinationWorkload} of {@code service}. */
    public static RequestTelemetry.Builder reached(String sourceWorkload, String service, String destinationWorkload) {
        return RequestTelemetry.newBuilder().setTraceId("t").setSpanId("s").setRequestId("r").setProxyId(sourceWorkload + "-proxy")
                .setReporter(Reporter.SOURCE).setSourceWorkload(sourceWorkload).setSourceNamespace("shop")
                .setDestinationService(service).setDestinationWorkload(destinationWorkload)
                .setDestinationEndpoint("127.0.0.1:9000").setMethod("GET").setStatus(200).setDurationMicros(3000)
                .setEventTime(T0);
    }

    /** A request the caller's sidecar answered itself, e.g. 404 NR for an unknown service. */
    public static RequestTelemetry local(String sourceWorkload, String service, ResponseFlag flag, int status) {
        return reached(sourceWorkload, service, null).setDestinationEndpoint(null).setAttempt(0).setStatus(status)
                .setResponseFlags(List.of(flag)).build();
    }

    /** One edge window with {@code requests} requests of {@code latencyMicros} and {@code overheadMicros}. */
    public static EdgeMetrics edge(String source, String destination, long requests, long errors5xx, long latencyMicros,
            long overheadMicros) {
        return EdgeMetrics.newBuilder().setSource(source).setDestination(destination).setWindowStart(T0)
                .setWindowEnd(T0.plusSeconds(10)).setRequests(requests).setErrors4xx(0).setErrors5xx(errors5xx).setRetries(0)
                .setRequestBytes(0).setResponseBytes(0).setP50Millis(latencyMicros / 1000.0).setP95Millis(latencyMicros / 1000.0)
                .setP99Millis(latencyMicros / 1000.0).setLatencyHistogram(histogram(requests, latencyMicros))
                .setOverheadHistogram(histogram(requests, overheadMicros)).build();
    }

    private static ByteBuffer histogram(long count, long value) {
        var histogram = new Histogram(1, 3_600_000_000L, 2);
        histogram.recordValueWithCount(value, count);
        var buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        histogram.encodeIntoCompressedByteBuffer(buffer);
        return buffer.flip();
    }
}
