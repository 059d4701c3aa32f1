package io.meshlog.pipeline.mirror;

import io.meshlog.pipeline.export.PipelineObserver;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.ShadowComparison;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * Shadow vs primary per route: mirrored SOURCE telemetry → {@value #STORE} (tumbling event-time
 * windows) → one {@link ShadowComparison} per route and closed window on the comparisons topic
 * (key {@code service/route}) and to the observer (Prometheus).
 */
public final class ShadowComparisonTopology {
    public static final String STORE = "mirror-comparisons";
    public static final String PROCESSOR = "mirror-comparison";
    /** As the edge metrics: 10 s windows. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private final String comparisonsTopic;
    private final Duration window;
    private final Duration grace;
    private final PipelineObserver observer;

    public ShadowComparisonTopology(String comparisonsTopic, Duration window, Duration grace, PipelineObserver observer) {
        this.comparisonsTopic = comparisonsTopic;
        this.window = window;
        this.grace = grace;
        this.observer = observer;
    }

    public void addTo(StreamsBuilder builder, KStream<String, RequestTelemetry> telemetry) {
        var serde = MeshSerdes.shadowComparison();
        telemetry.filter((service, event) -> ShadowTally.mirrored(event), Named.as(PROCESSOR + "-mirrored-only"))
                .selectKey((service, event) -> key(event.getDestinationService(), route(event)), Named.as(PROCESSOR + "-by-route"))
                .groupByKey(Grouped.with("mirror-by-route", Serdes.String(), MeshSerdes.requestTelemetry()))
                .windowedBy(TimeWindows.ofSizeAndGrace(window, grace))
                .aggregate(() -> null,
                        (key, event, sum) -> ShadowTally.add(sum != null ? sum
                                : ShadowTally.empty(event.getDestinationService(), route(event)), event),
                        Named.as(PROCESSOR + "-sum"),
                        Materialized.<String, ShadowComparison, org.apache.kafka.streams.state.WindowStore<org.apache.kafka.common.utils.Bytes, byte[]>>as(STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(serde))
                .suppress(Suppressed.<org.apache.kafka.streams.kstream.Windowed<String>>untilWindowCloses(
                        Suppressed.BufferConfig.unbounded()).withName(PROCESSOR + "-until-closed"))
                .toStream(Named.as(PROCESSOR + "-closed"))
                .map((windowed, sum) -> {
                    sum.setWindowStart(windowed.window().startTime());
                    sum.setWindowEnd(windowed.window().endTime());
                    observer.onShadowComparison(sum.getService(), sum.getRoute(), sum.getRequests(),
                            ShadowTally.statusMismatchRatio(sum), ShadowTally.bodyMismatchRatio(sum),
                            ShadowTally.latencyDifferenceMillis(sum));
                    return KeyValue.pair(windowed.key(), sum);
                }, Named.as(PROCESSOR + "-windowed"))
                .to(comparisonsTopic, Produced.with(Serdes.String(), serde).withName(PROCESSOR + "-sink"));
    }

    private static String route(RequestTelemetry event) {
        return event.getRoute() != null ? event.getRoute() : "default";
    }

    static String key(String service, String route) {
        return service + "/" + route;
    }
}
