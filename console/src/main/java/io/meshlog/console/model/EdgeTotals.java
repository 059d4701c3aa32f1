package io.meshlog.console.model;

/** An edge's (or a node's) traffic summed over a time window; quantiles in milliseconds. */
record EdgeTotals(long requests, long errors4xx, long errors5xx, long retries, double p50, double p95, double p99) {
    static final EdgeTotals NONE = new EdgeTotals(0, 0, 0, 0, 0, 0, 0);

    double errorRatio() {
        return requests == 0 ? 0 : (double) errors5xx / requests;
    }

    Health health() {
        return Health.of(requests, errors5xx);
    }

    /** Sums counts; quantiles are request-weighted means (see {@link EdgeSeries#totals}). */
    EdgeTotals plus(EdgeTotals o) {
        long n = requests + o.requests;
        if (n == 0) {
            return NONE;
        }
        return new EdgeTotals(n, errors4xx + o.errors4xx, errors5xx + o.errors5xx, retries + o.retries,
                (p50 * requests + o.p50 * o.requests) / n, (p95 * requests + o.p95 * o.requests) / n,
                (p99 * requests + o.p99 * o.requests) / n);
    }
}
