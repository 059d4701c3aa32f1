package io.meshlog.console.model;

import io.meshlog.schemas.v1.EdgeMetrics;

/**
 * One edge's traffic in one pipeline window, without the histogram bytes (the console keeps an
 * hour of these per edge; the histograms would multiply its memory).
 */
record EdgeWindow(long start, long end, long requests, long errors4xx, long errors5xx, long retries,
        float p50, float p95, float p99) {

    static EdgeWindow of(EdgeMetrics m) {
        return new EdgeWindow(m.getWindowStart().toEpochMilli(), m.getWindowEnd().toEpochMilli(), m.getRequests(),
                m.getErrors4xx(), m.getErrors5xx(), m.getRetries(), (float) m.getP50Millis(),
                (float) m.getP95Millis(), (float) m.getP99Millis());
    }
}
