package io.meshlog.pipeline.edges;

import io.meshlog.pipeline.export.PipelineObserver;
import io.meshlog.schemas.v1.EdgeMetrics;
import io.meshlog.schemas.v1.RequestTelemetry;
import java.time.Duration;
import java.util.Locale;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aggregates telemetry per source → destination edge in tumbling event-time windows and forwards
 * one EdgeMetrics per edge and window (key {@code src->dst}) once stream time has passed the
 * window's end plus the grace period. All telemetry of a destination is in one partition, so no
 * repartitioning is needed. Open windows are written through to {@link EdgeMetricsTopology#STORE}
 * (key {@code <windowStart, 15 digits>|src->dst}, so closing scans in time order).
 */
final class EdgeWindowProcessor implements Processor<String, RequestTelemetry, String, EdgeMetrics> {
    private static final Logger LOGGER = LoggerFactory.getLogger(EdgeWindowProcessor.class);

    private final long size;
    private final long grace;
    private final PipelineObserver observer;
    private final TreeMap<String, EdgeAccumulator> open = new TreeMap<>();
    private ProcessorContext<String, EdgeMetrics> context;
    private KeyValueStore<String, byte[]> store;
    private long observedStreamTime = Long.MIN_VALUE;

    EdgeWindowProcessor(Duration size, Duration grace, PipelineObserver observer) {
        this.size = size.toMillis();
        this.grace = grace.toMillis();
        this.observer = observer;
    }

    @Override
    public void init(ProcessorContext<String, EdgeMetrics> context) {
        this.context = context;
        this.store = context.getStateStore(EdgeMetricsTopology.STORE);
        try (var all = store.all()) {
            all.forEachRemaining(kv -> open.put(kv.key, EdgeAccumulator.decode(kv.value)));
        }
        context.schedule(Duration.ofMillis(Math.max(100, Math.min(1000, size / 2))),
                PunctuationType.STREAM_TIME, this::closeWindows);
    }

    @Override
    public void process(Record<String, RequestTelemetry> record) {
        var t = record.value();
        long time = t.getEventTime().toEpochMilli();
        observedStreamTime = Math.max(observedStreamTime, time);
        long start = Math.floorDiv(time, size) * size;
        if (start + size + grace <= observedStreamTime) {
            LOGGER.atDebug().addKeyValue("destination", t.getDestinationService())
                    .log("telemetry too late for its edge window, dropped");
            return;
        }
        var key = String.format(Locale.ROOT, "%015d", start) + "|" + edge(t);
        var acc = open.computeIfAbsent(key, k -> new EdgeAccumulator());
        acc.add(t);
        store.put(key, acc.encode());
    }

    private static String edge(RequestTelemetry t) {
        var source = t.getSourceWorkload() == null || t.getSourceWorkload().isEmpty() ? "unknown" : t.getSourceWorkload();
        return source + "->" + t.getDestinationService();
    }

    private void closeWindows(long streamTime) {
        while (!open.isEmpty()) {
            var key = open.firstKey();
            long start = Long.parseLong(key.substring(0, 15));
            if (start + size + grace > streamTime) {
                return;
            }
            var acc = open.remove(key);
            store.delete(key);
            var edge = key.substring(16);
            int arrow = edge.indexOf("->");
            var metrics = acc.toMetrics(edge.substring(0, arrow), edge.substring(arrow + 2), start, start + size);
            context.forward(new Record<>(edge, metrics, start + size - 1));
            observer.onEdgeMetrics(metrics);
        }
    }
}
