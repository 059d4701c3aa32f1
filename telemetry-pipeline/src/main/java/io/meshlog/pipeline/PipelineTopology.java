package io.meshlog.pipeline;

import io.meshlog.pipeline.burnrate.BurnRateTopology;
import io.meshlog.pipeline.canary.CanaryTopology;
import io.meshlog.pipeline.config.PipelinePart;
import io.meshlog.pipeline.edges.EdgeMetricsTopology;
import io.meshlog.pipeline.export.PipelineObserver;
import io.meshlog.pipeline.ingest.SourceReportsOnly;
import io.meshlog.pipeline.mirror.ShadowComparisonTopology;
import io.meshlog.pipeline.outlier.OutlierTopology;
import io.meshlog.pipeline.policy.PolicyTable;
import io.meshlog.pipeline.policy.TelemetryWithPolicies;
import io.meshlog.pipeline.retrybudget.RetryBudgetTopology;
import io.meshlog.policy.model.MeshScope;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The whole pipeline as one Kafka Streams topology: telemetry and policies in; outlier ejection,
 * retry budgets, burn-rate alerts, edge metrics, and the canary controller's routes and statuses out. Only the callers' reports
 * ({@code reporter=SOURCE}) reach the topologies, filtered once right after the source (see
 * {@link SourceReportsOnly}). Every processor, store and repartition topic has a fixed name, so
 * the topology can evolve without orphaning state.
 */
public final class PipelineTopology {
    private PipelineTopology() {}

    /** The topology over {@code topics}, reporting to {@code observer}. */
    public static Topology build(TopicCatalogue topics, PipelineObserver observer) {
        return build(topics, observer, MeshScope.DEFAULT_ROOT_NAMESPACE);
    }

    /** As {@link #build(TopicCatalogue, PipelineObserver)}, with the mesh root namespace whose mesh-wide rules apply. */
    public static Topology build(TopicCatalogue topics, PipelineObserver observer, String rootNamespace) {
        return build(topics, observer, EdgeMetricsTopology.DEFAULT_WINDOW, EdgeMetricsTopology.DEFAULT_GRACE, rootNamespace);
    }

    /** As {@link #build(TopicCatalogue, PipelineObserver)} with another edge window and grace. */
    public static Topology build(TopicCatalogue topics, PipelineObserver observer, Duration edgeWindow,
            Duration edgeGrace) {
        return build(topics, observer, edgeWindow, edgeGrace, MeshScope.DEFAULT_ROOT_NAMESPACE);
    }

    private static Topology build(TopicCatalogue topics, PipelineObserver observer, Duration edgeWindow,
            Duration edgeGrace, String rootNamespace) {
        return build(topics, observer, edgeWindow, edgeGrace, rootNamespace, EnumSet.allOf(PipelinePart.class));
    }

    /** Only {@code parts} (the {@code topologies} setting), with the mesh root namespace. */
    public static Topology build(TopicCatalogue topics, PipelineObserver observer, String rootNamespace,
            Set<PipelinePart> parts) {
        return build(topics, observer, EdgeMetricsTopology.DEFAULT_WINDOW, EdgeMetricsTopology.DEFAULT_GRACE,
                rootNamespace, parts);
    }

    private static Topology build(TopicCatalogue topics, PipelineObserver observer, Duration edgeWindow,
            Duration edgeGrace, String rootNamespace, Set<PipelinePart> parts) {
        var builder = new StreamsBuilder();
        var telemetrySerde = MeshSerdes.requestTelemetry();
        var telemetry = SourceReportsOnly.filter(builder.stream(topics.telemetry().name(),
                Consumed.with(Serdes.String(), telemetrySerde).withName("telemetry-source")
                        .withTimestampExtractor(new TelemetryTimestampExtractor())), observer);
        // Same order as ever for all parts: subtopology numbers (task ids, state directories) stay put.
        PolicyTable policies = null;
        KStream<String, TelemetryWithPolicies> enriched = null;
        if (!parts.equals(EnumSet.of(PipelinePart.EDGES))) {
            policies = PolicyTable.build(builder, topics.policy().name());
            enriched = policies.enrich(telemetry, telemetrySerde);
            // mesh-wide rules reach every partition of the telemetry tasks: one repartition partition per telemetry partition
            policies.broadcastMeshWide(rootNamespace, topics.telemetry().partitions());
        }
        var decisions = topics.decisions().name();
        if (parts.contains(PipelinePart.OUTLIER)) {
            new OutlierTopology(decisions, Duration.ofSeconds(1), observer).addTo(builder, enriched);
        }
        if (parts.contains(PipelinePart.RETRY_BUDGET)) {
            new RetryBudgetTopology(decisions, observer).addTo(builder, enriched);
        }
        if (parts.contains(PipelinePart.BURN_RATE)) {
            new BurnRateTopology(topics.alerts().name(), observer).addTo(builder, enriched);
        }
        if (parts.contains(PipelinePart.EDGES)) {
            new EdgeMetricsTopology(topics.edges().name(), edgeWindow, edgeGrace, observer).addTo(builder, telemetry);
            // shadow vs primary per route: an aggregate of the same kind, needing no policies either
            new ShadowComparisonTopology(topics.mirrorComparisons().name(), ShadowComparisonTopology.DEFAULT_WINDOW,
                    ShadowComparisonTopology.DEFAULT_GRACE, observer).addTo(builder, telemetry);
        }
        if (parts.contains(PipelinePart.CANARY)) {
            new CanaryTopology(topics.policy().name(), topics.canaryStatus().name(), topics.configAcks().name(),
                    CanaryTopology.DEFAULT_TICK, observer).addTo(builder, telemetry, policies.byService());
        }
        return builder.build();
    }
}
