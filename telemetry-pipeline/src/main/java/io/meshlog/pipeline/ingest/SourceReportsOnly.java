package io.meshlog.pipeline.ingest;

import io.meshlog.pipeline.export.PipelineObserver;
import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RequestTelemetry;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * Keeps only the caller's report of each attempt ({@code reporter=SOURCE}); every topology reads
 * what this returns. In mesh mode both sidecars of a call report it: the caller's as SOURCE and
 * the callee's as DESTINATION, the latter with {@code destinationEndpoint} set to the app's own
 * address. Counting both doubles retry budgets, SLO and edge counts, and adds a bogus endpoint to
 * outlier detection (which counts toward maxEjectionPercent). Only the caller knows the endpoint
 * it chose and whether the try was a retry, so its report is the one that counts. Each report
 * dropped here is told to {@link PipelineObserver#onReportFiltered}.
 */
public final class SourceReportsOnly {
    /** The processor's name in the topology. */
    public static final String PROCESSOR = "telemetry-source-reports-only";

    private SourceReportsOnly() {}

    /** {@code telemetry} without the reports of called sides. */
    public static KStream<String, RequestTelemetry> filter(KStream<String, RequestTelemetry> telemetry,
            PipelineObserver observer) {
        return telemetry.filter((service, event) -> keep(event, observer), Named.as(PROCESSOR));
    }

    static boolean keep(RequestTelemetry event, PipelineObserver observer) {
        var reporter = event.getReporter();
        if (reporter == Reporter.SOURCE) {
            return true;
        }
        observer.onReportFiltered(reporter);
        return false;
    }
}
