package io.meshlog.console.model;

/**
 * The span a graph covers, in event time: the selected window back from the newest edge window
 * the pipeline closed (not from the wall clock, which runs a window ahead of what is closed), cut
 * to what the console has seen; empty when the newest window is older than the selection.
 *
 * @param from exclusive, epoch millis
 * @param to inclusive, epoch millis
 */
record TrafficWindow(long from, long to) {
    static TrafficWindow of(MeshModel model, TimeWindow window) {
        long to = model.latestWindowEnd;
        long length = window.length().toMillis();
        if (to == Long.MIN_VALUE || model.clock.millis() - to > length) {
            return new TrafficWindow(0, 0);
        }
        return new TrafficWindow(Math.max(to - length, model.firstWindowStart), to);
    }

    double seconds() {
        return Math.max(0.001, (to - from) / 1000.0);
    }

    boolean isEmpty() {
        return to <= from;
    }
}
