package io.meshlog.console.model;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The windows of one edge, by window start (a re-sent window replaces the earlier copy), pruned to
 * the model's retention. Not thread-safe: the model guards it.
 */
final class EdgeSeries {
    private final TreeMap<Long, EdgeWindow> windows = new TreeMap<>();

    void add(EdgeWindow window) {
        windows.put(window.start(), window);
    }

    /** Drops windows that ended before {@code oldestEnd}. */
    void prune(long oldestEnd) {
        while (!windows.isEmpty() && windows.firstEntry().getValue().end() < oldestEnd) {
            windows.pollFirstEntry();
        }
    }

    boolean isEmpty() {
        return windows.isEmpty();
    }

    int size() {
        return windows.size();
    }

    /**
     * The sum of the windows ending after {@code from} and at or before {@code to}. Quantiles are
     * the request-weighted mean of the windows' quantiles: an approximation (the exact merge needs
     * the histograms, which are not kept), good enough to colour and rank edges.
     */
    EdgeTotals totals(long from, long to) {
        long requests = 0;
        long e4 = 0;
        long e5 = 0;
        long retries = 0;
        double p50 = 0;
        double p95 = 0;
        double p99 = 0;
        for (var w : windows.tailMap(from - windowLength(), false).values()) {
            if (w.end() <= from || w.end() > to) {
                continue;
            }
            requests += w.requests();
            e4 += w.errors4xx();
            e5 += w.errors5xx();
            retries += w.retries();
            p50 += (double) w.p50() * w.requests();
            p95 += (double) w.p95() * w.requests();
            p99 += (double) w.p99() * w.requests();
        }
        return requests == 0 ? EdgeTotals.NONE
                : new EdgeTotals(requests, e4, e5, retries, p50 / requests, p95 / requests, p99 / requests);
    }

    private long windowLength() {
        var first = windows.firstEntry();
        return first == null ? 1 : Math.max(1, first.getValue().end() - first.getValue().start());
    }

    /** The windows ending after {@code from}, oldest first. */
    List<EdgeWindow> since(long from) {
        var out = new ArrayList<EdgeWindow>();
        for (var w : windows.values()) {
            if (w.end() > from) {
                out.add(w);
            }
        }
        return out;
    }
}
