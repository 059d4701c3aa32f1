package io.meshlog.policy.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What happens to every field of every policy kind's Avro spec once it reaches the policy topic:
 * enforced (and where), accepted with an analyze warning code, or refused by validation. A test
 * walks the schema and fails on a field missing here, so no new field can be accepted and ignored;
 * {@code docs/istio-compatibility.md} is generated from this table and {@link IstioFields}.
 */
public final class FieldCoverage {
    /** The three outcomes of a field. */
    public enum Outcome { ENFORCED, WARNED, REFUSED }

    /**
     * One field's outcome.
     *
     * @param outcome enforced, warned or refused
     * @param detail where it is enforced, the warning code and why, or why it is refused
     */
    public record Entry(Outcome outcome, String detail) {}

    private static final String AUTHZ = "proxy authz.AuthorizationEvaluator (inbound)";
    private static final String ROUTE = "proxy snapshot.RouteCompiler → route.RouteMatcher (outbound)";
    private static final String CLUSTER = "proxy snapshot.ClusterPolicyCompiler → resilience (outbound)";
    private static final String OUTLIER = "pipeline outlier.OutlierDetectionConfig (cluster-wide ejection) and proxy resilience.LocalOutlierDetector";
    private static final String RETRY = "proxy resilience.RetryExecutor";
    private static final String FAULT = "proxy fault.FaultInjector";
    private static final String LIMIT = "proxy snapshot.SnapshotCompiler → ratelimit.TokenBucket (inbound)";
    private static final String BUDGET = "pipeline retrybudget (mesh-wide) → proxy resilience.ClusterRetryBudgets";
    private static final String SLO = "pipeline burnrate.BurnRateProcessor";
    private static final String MTLS = "proxy identity.PeerAuthenticationResolver (inbound mTLS)";
    private static final String TELEMETRY = IstioFields.TELEMETRY + " the proxies do not apply Telemetry documents yet";
    private static final String GLOBAL = "proxy ratelimit: GlobalRateLimits, a demand-proportional share of the quota per proxy, exchanged through Hazelcast; failureMode applies while the counters are unreachable";

    private static final String CANARY = "pipeline canary.CanaryProcessor (steps, checks, rollback), "
            + "routing through its VirtualService on the policy log";

    private static final Map<String, Entry> ENTRIES = new TreeMap<>();

    static {
        enforced(MTLS, "PeerAuthenticationSpec.selector", "PeerAuthenticationSpec.mtls", "PeerAuthenticationSpec.portLevelMtls",
                "WorkloadSelector.matchLabels");
        enforced(AUTHZ, "AuthorizationPolicySpec.selector", "AuthorizationPolicySpec.action", "AuthorizationPolicySpec.dryRun",
                "AuthorizationPolicySpec.rules", "AuthorizationRule.from", "AuthorizationRule.to", "AuthorizationRule.when",
                "Source.principals", "Source.notPrincipals", "Source.namespaces", "Source.notNamespaces",
                "Operation.hosts", "Operation.notHosts", "Operation.ports", "Operation.notPorts", "Operation.methods",
                "Operation.notMethods", "Operation.paths", "Operation.notPaths",
                "Condition.key", "Condition.values", "Condition.notValues");
        enforced(CLUSTER, "DestinationRuleSpec.host", "DestinationRuleSpec.trafficPolicy", "DestinationRuleSpec.subsets",
                "TrafficPolicy.loadBalancer", "TrafficPolicy.connectionPool",
                "ConnectionPoolSettings.maxConnections", "ConnectionPoolSettings.connectTimeout",
                "ConnectionPoolSettings.http1MaxPendingRequests", "ConnectionPoolSettings.http2MaxRequests",
                "ConnectionPoolSettings.maxRequestsPerConnection", "ConnectionPoolSettings.idleTimeout",
                "Subset.name", "Subset.labels");
        ENTRIES.put("Subset.trafficPolicy", new Entry(Outcome.ENFORCED, CLUSTER
                + ": loadBalancer; connectionPool and outlierDetection at subset level are REFUSED by validation"));
        enforced(OUTLIER, "TrafficPolicy.outlierDetection", "OutlierDetection.consecutive5xxErrors",
                "OutlierDetection.consecutiveGatewayErrors", "OutlierDetection.interval", "OutlierDetection.baseEjectionTime",
                "OutlierDetection.maxEjectionTime", "OutlierDetection.maxEjectionPercent", "OutlierDetection.minHealthPercent",
                "OutlierDetection.successRateMinimumHosts", "OutlierDetection.successRateRequestVolume",
                "OutlierDetection.successRateStdevFactor", "OutlierDetection.failurePercentageThreshold",
                "OutlierDetection.failurePercentageMinimumHosts", "OutlierDetection.failurePercentageRequestVolume");
        enforced(ROUTE, "VirtualServiceSpec.hosts", "VirtualServiceSpec.http", "HttpRoute.name", "HttpRoute.match",
                "HttpRoute.route", "HttpRoute.timeout", "HttpMatchRequest.name", "HttpMatchRequest.uri",
                "HttpMatchRequest.method", "HttpMatchRequest.headers", "HttpMatchRequest.ignoreUriCase",
                "StringMatch.exact", "StringMatch.prefix", "StringMatch.regex", "StringMatch.present",
                "HttpRouteDestination.destination", "HttpRouteDestination.weight", "Destination.host", "Destination.subset");
        ENTRIES.put("Destination.port", new Entry(Outcome.WARNED, IstioFields.PORT_LEVEL
                + " a meshlog service has one port: the route goes to the port its endpoints registered"));
        enforced(RETRY, "HttpRoute.retries", "HttpRetry.attempts", "HttpRetry.perTryTimeout", "HttpRetry.retryOn",
                "HttpRetry.allowNonIdempotent");
        enforced(FAULT, "HttpRoute.fault", "HttpFaultInjection.delay", "HttpFaultInjection.abort", "FaultDelay.percentage",
                "FaultDelay.fixedDelay", "FaultAbort.percentage", "FaultAbort.httpStatus");
        enforced(LIMIT, "RateLimitPolicySpec.selector", "RateLimitPolicySpec.routes", "RateLimitPolicySpec.tokenBucket",
                "RateLimitPolicySpec.shadow", "TokenBucket.maxTokens", "TokenBucket.tokensPerFill", "TokenBucket.fillInterval");
        enforced(GLOBAL, "RateLimitPolicySpec.global", "GlobalRateLimit.requestsPerUnit", "GlobalRateLimit.unit",
                "GlobalRateLimit.failureMode");
        enforced(BUDGET, "RetryBudgetSpec.host", "RetryBudgetSpec.retryRatio", "RetryBudgetSpec.minRetriesPerSecond",
                "RetryBudgetSpec.ttl");
        enforced(SLO, "ServiceLevelObjectiveSpec.service", "ServiceLevelObjectiveSpec.target",
                "ServiceLevelObjectiveSpec.window", "ServiceLevelObjectiveSpec.badStatusClasses",
                "ServiceLevelObjectiveSpec.latencyThreshold", "ServiceLevelObjectiveSpec.burnRateRules",
                "BurnRateRule.severity", "BurnRateRule.longWindow", "BurnRateRule.shortWindow", "BurnRateRule.factor");
        enforced(CANARY, "CanarySpec.targetRef", "CanaryTargetRef.name", "CanarySpec.stable", "CanarySpec.canary",
                "CanarySpec.skipAnalysis", "CanarySpec.analysis", "CanaryAnalysis.interval", "CanaryAnalysis.threshold",
                "CanaryAnalysis.stepWeight", "CanaryAnalysis.maxWeight", "CanaryAnalysis.stepWeights",
                "CanaryAnalysis.iterations", "CanaryAnalysis.minRequests", "CanaryAnalysis.metrics",
                "CanaryMetric.name", "CanaryMetric.thresholdRange", "CanaryThresholdRange.min", "CanaryThresholdRange.max");
        ENTRIES.put("CanaryAnalysis.match", new Entry(Outcome.ENFORCED, CANARY
                + ": copied into the canary route's match, applied by " + ROUTE));
        for (var field : new String[] {"selector", "randomSamplingPercentage", "customTags", "disableRequestTelemetry"}) {
            ENTRIES.put("TelemetrySpec." + field, new Entry(Outcome.WARNED, TELEMETRY));
        }
    }

    private FieldCoverage() {}

    private static void enforced(String where, String... fields) {
        for (var field : fields) {
            ENTRIES.put(field, new Entry(Outcome.ENFORCED, where));
        }
    }

    /** Every schema field ({@code Record.field}) and its outcome. */
    public static Map<String, Entry> all() {
        return Collections.unmodifiableMap(ENTRIES);
    }
}
