package io.meshlog.pipeline.edges;

import io.meshlog.pipeline.export.PipelineObserver;
import io.meshlog.pipeline.state.CommitFlushedStore;
import io.meshlog.schemas.v1.EdgeMetrics;
import io.meshlog.schemas.v1.RequestTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aggregates telemetry per source → destination edge in tumbling event-time windows and forwards
 * one EdgeMetrics per edge and window (key {@code src->dst}) once stream time has passed the
 * window's end plus the grace period. All telemetry of a destination is in one partition, so no
 * repartitioning is needed.
 *
 * <p>Open windows live in memory (window start → destination → source → accumulator); the
 * accumulators changed since the last commit are encoded into {@link EdgeMetricsTopology#STORE}
 * (key {@code <windowStart, 15 digits>|src->dst}) when the task commits, not per event: encoding
 * a histogram costs far more than recording a value.
 */
final class EdgeWindowProcessor implements Processor<String, RequestTelemetry, String, EdgeMetrics> {
    private static final Logger LOGGER = LoggerFactory.getLogger(EdgeWindowProcessor.class);
    private static final String UNKNOWN_SOURCE = "unknown";

    private final long size;
    private final long grace;
    private final PipelineObserver observer;
    private final TreeMap<Long, Map<String, Map<String, OpenEdge>>> open = new TreeMap<>();
    private final List<OpenEdge> dirty = new ArrayList<>();
    private ProcessorContext<String, EdgeMetrics> context;
    private CommitFlushedStore store;
    private long observedStreamTime = Long.MIN_VALUE;

    /** One edge's open window. */
    private static final class OpenEdge {
        final long start;
        final String source;
        final String destination;
        final EdgeAccumulator acc;
        boolean dirty;
        boolean closed;

        OpenEdge(long start, String source, String destination, EdgeAccumulator acc) {
            this.start = start;
            this.source = source;
            this.destination = destination;
            this.acc = acc;
        }

        String storeKey() {
            return String.format(Locale.ROOT, "%015d", start) + "|" + source + "->" + destination;
        }
    }

    EdgeWindowProcessor(Duration size, Duration grace, PipelineObserver observer) {
        this.size = size.toMillis();
        this.grace = grace.toMillis();
        this.observer = observer;
    }

    @Override
    public void init(ProcessorContext<String, EdgeMetrics> context) {
        this.context = context;
        this.store = context.getStateStore(EdgeMetricsTopology.STORE);
        // A revived task initialises the same instance again: only the store (restored to the
        // last commit) counts, never what memory held.
        open.clear();
        dirty.clear();
        observedStreamTime = Long.MIN_VALUE;
        try (var all = store.all()) {
            all.forEachRemaining(kv -> {
                long start = Long.parseLong(kv.key.substring(0, 15));
                var edge = kv.key.substring(16);
                int arrow = edge.indexOf("->");
                var restored = new OpenEdge(start, edge.substring(0, arrow), edge.substring(arrow + 2),
                        EdgeAccumulator.decode(kv.value));
                open.computeIfAbsent(start, s -> new HashMap<>())
                        .computeIfAbsent(restored.destination, d -> new HashMap<>()).put(restored.source, restored);
            });
        }
        store.beforeCommit(this::writeChanged);
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
        var edge = edgeOf(start, sourceOf(t), t.getDestinationService());
        edge.acc.add(t);
        if (!edge.dirty) {
            edge.dirty = true;
            dirty.add(edge);
        }
    }

    private OpenEdge edgeOf(long start, String source, String destination) {
        var bySource = open.computeIfAbsent(start, s -> new HashMap<>())
                .computeIfAbsent(destination, d -> new HashMap<>());
        var edge = bySource.get(source);
        if (edge == null) {
            edge = new OpenEdge(start, source, destination, new EdgeAccumulator());
            bySource.put(source, edge);
        }
        return edge;
    }

    private static String sourceOf(RequestTelemetry t) {
        var source = t.getSourceWorkload();
        return source == null || source.isEmpty() ? UNKNOWN_SOURCE : source;
    }

    /** At commit: the accumulators changed since the last one, encoded into the changelogged store. */
    private void writeChanged() {
        for (var edge : dirty) {
            if (!edge.closed) {
                store.put(edge.storeKey(), edge.acc.encode());
            }
            edge.dirty = false;
        }
        dirty.clear();
    }

    private void closeWindows(long streamTime) {
        while (!open.isEmpty()) {
            long start = open.firstKey();
            if (start + size + grace > streamTime) {
                return;
            }
            var edges = new ArrayList<OpenEdge>();
            open.remove(start).values().forEach(bySource -> edges.addAll(bySource.values()));
            // In src->dst order, as the store's keys sort.
            edges.sort((a, b) -> (a.source + "->" + a.destination).compareTo(b.source + "->" + b.destination));
            for (var edge : edges) {
                edge.closed = true;
                store.delete(edge.storeKey());
                var key = edge.source + "->" + edge.destination;
                var metrics = edge.acc.toMetrics(edge.source, edge.destination, start, start + size);
                context.forward(new Record<>(key, metrics, start + size - 1));
                observer.onEdgeMetrics(metrics);
            }
        }
    }
}
