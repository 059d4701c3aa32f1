package io.meshlog.pipeline;

import io.meshlog.schemas.v1.BurnRateRule;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.OutlierDetection;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import io.meshlog.schemas.v1.RetryBudgetSpec;
import io.meshlog.schemas.v1.ServiceLevelObjectiveSpec;
import io.meshlog.schemas.v1.Subset;
import io.meshlog.schemas.v1.TrafficPolicy;
import java.time.Instant;
import java.util.List;

/** Policy events for tests. */
public final class Policies {
    private Policies() {}

    public static PolicyEvent destinationRule(String host, OutlierDetection od, Instant time) {
        return event(PolicyKind.DestinationRule, host + "-dr", time, DestinationRuleSpec.newBuilder().setHost(host)
                .setTrafficPolicy(TrafficPolicy.newBuilder().setOutlierDetection(od).build()).build());
    }

    /** A rule with no outlierDetection of its own and {@code subset} (labels version=subset) with {@code subsetOd}. */
    public static PolicyEvent destinationRuleWithSubset(String host, String subset, OutlierDetection subsetOd, Instant time) {
        return event(PolicyKind.DestinationRule, host + "-dr", time, DestinationRuleSpec.newBuilder().setHost(host)
                .setSubsets(List.of(Subset.newBuilder().setName(subset).setLabels(java.util.Map.of("version", subset))
                        .setTrafficPolicy(TrafficPolicy.newBuilder().setOutlierDetection(subsetOd).build()).build(),
                        Subset.newBuilder().setName("other").setLabels(java.util.Map.of("version", "other")).build()))
                .build());
    }

    /** The mesh-wide rule: root namespace {@code meshlog-system}, host {@code *.local}. */
    public static PolicyEvent meshWideDestinationRule(OutlierDetection od, Instant time) {
        return PolicyEvent.newBuilder(event(PolicyKind.DestinationRule, "mesh-default", time,
                DestinationRuleSpec.newBuilder().setHost("*.local")
                        .setTrafficPolicy(TrafficPolicy.newBuilder().setOutlierDetection(od).build()).build()))
                .setNamespace("meshlog-system").build();
    }

    public static PolicyEvent retryBudget(String host, double ratio, int minPerSecond, long ttlMillis, Instant time) {
        return event(PolicyKind.RetryBudget, host + "-budget", time, RetryBudgetSpec.newBuilder().setHost(host)
                .setRetryRatio(ratio).setMinRetriesPerSecond(minPerSecond).setTtl(ttlMillis).build());
    }

    public static PolicyEvent slo(String name, String service, double target, List<BurnRateRule> rules,
            Instant time) {
        return event(PolicyKind.ServiceLevelObjective, name, time, ServiceLevelObjectiveSpec.newBuilder()
                .setService(service).setTarget(target).setBurnRateRules(rules).build());
    }

    private static PolicyEvent event(PolicyKind kind, String name, Instant time, Object spec) {
        return PolicyEvent.newBuilder().setKind(kind).setNamespace("default").setName(name).setGeneration(1)
                .setAuthor("test").setTime(time).setSpec(spec).build();
    }
}
