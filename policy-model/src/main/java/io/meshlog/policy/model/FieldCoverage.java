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
    private static final String SUBSET = CLUSTER + ": loadBalancer, connectionPool and outlierDetection, each replacing"
            + " the rule's group whole as Istio merges them (per-subset balancer, pool limits and breaker, local outlier"
            + " detection); outlierDetection also in the pipeline's outlier.RuleOutlierSettings (cluster-wide, for results of"
            + " requests routed to the subset)";
    private static final String OUTLIER = "pipeline outlier.OutlierDetectionConfig (cluster-wide ejection) and proxy resilience.LocalOutlierDetector";
    private static final String MATCH = ROUTE + "; queryParams and withoutHeaders as Istio, authority on the request's "
            + "Host/:authority, port on the port the caller addressed (80 when none)";
    private static final String SOURCE_LABELS = "proxy snapshot.RouteCompiler: the match holds only in sidecars whose "
            + "own workload labels include them / whose workload is in that namespace (Istio's source = the calling workload)";
    private static final String HEADERS = "proxy route.HeaderOps: request operations before forwarding, response "
            + "operations before relaying (the destination's, then the route's); remove, then set, then add (Envoy's order)";
    private static final String REWRITE = "proxy route.Rewrite: uri replaces the matched prefix (the whole path for an "
            + "exact match); uriRegexRewrite replaces every match in the path; authority sets Host/:authority";
    private static final String REDIRECT = "proxy outbound.OutboundRequestHandler: answered by the proxy with "
            + "Location, never forwarded; redirectCode defaults to 301";
    private static final String PORT = "proxy resilience.Cluster: only the endpoints registered for that service port "
            + "(static: services[].endpoints[].servicePort, default its port; mesh: the app port); none → 503 UH";
    private static final String RING_HASH = "proxy resilience.HashRing (ring hash, minimumRingSize default 1024) "
            + "via EndpointPicker: ejected and just-failed endpoints are skipped to the next on the ring";
    private static final String RETRY = "proxy resilience.RetryExecutor";
    private static final String FAULT = "proxy fault.FaultInjector";
    private static final String LIMIT = "proxy snapshot.SnapshotCompiler → ratelimit.TokenBucket (inbound)";
    private static final String BUDGET = "pipeline retrybudget (mesh-wide) → proxy resilience.ClusterRetryBudgets";
    private static final String SLO = "pipeline burnrate.BurnRateProcessor";
    private static final String MTLS = "proxy identity.PeerAuthenticationResolver (inbound mTLS)";
    private static final String TRACING = "proxy snapshot.TelemetryPolicyCompiler → tracing.RequestTracer (sampler, span attributes)";
    private static final String METRICS = "proxy snapshot.TelemetryPolicyCompiler → observability.ProxyMetrics (istio_* meters)";
    private static final String ACCESS_LOG = "proxy snapshot.TelemetryPolicyCompiler → observability.AccessLog";
    private static final String TELEMETRY_SCOPE = "proxy snapshot.TelemetryPolicyCompiler: workload (selector) over namespace over root namespace, as Istio";
    private static final String FLAT_FORM = "meshlog's former flat Telemetry form: write Istio's tracing / metrics lists instead";
    private static final String GLOBAL = "proxy ratelimit: GlobalRateLimits, a demand-proportional share of the quota per proxy, exchanged through Hazelcast; failureMode applies while the counters are unreachable";

    private static final String MIRROR = "proxy http.ShadowSender: a copy of each sampled request (body within the "
            + "retry buffer limit) to the mirror destination with -shadow appended to the authority, fire and forget, "
            + "bounded in flight; its status, latency and body hash on the primary's telemetry, compared by the "
            + "pipeline's mirror.ShadowComparisonTopology";

    private static final String SIDECAR = "proxy policy.PolicyLog (holds only the VirtualServices and "
            + "DestinationRules of in-scope hosts) and discovery.HazelcastEndpointRegistry (watches only in-scope services); "
            + "selection as Istio: selector match in the workload's namespace, then that namespace's selector-less one, then the root's";
    private static final String CANARY = "pipeline canary.CanaryProcessor (steps, checks, rollback), "
            + "routing through its VirtualService on the policy log";

    private static final String MODE = "proxy snapshot.SnapshotCompiler and security.PolicyView via policy-model MeshModes "
            + "(workload selector over namespace over root namespace, as PeerAuthentication): OBSERVE turns every "
            + "enforcement point of the sidecar into a recorded would-have (telemetry wouldHave, meshlog_proxy_observe_would_total)";
    private static final String EXCLUDED = "proxy discovery.ExcludedEndpoints: the services are called in plaintext at "
            + "these endpoints (no sidecar, no mTLS), as Istio does for a workload without a sidecar";
    private static final String EXCLUSION_RECORD = "the registry's record: meshctl get/describe show it with its age; "
            + "policy-service analyze";
    private static final String STICKY = "meshlog extension (not Istio): proxy snapshot.RouteCompiler → "
            + "route.StickyBuckets (the weighted choice by a hash of the header or cookie, monotone buckets)";
    private static final String WEBHOOKS = "pipeline canary.CanaryWebhooks (HTTP POST of the canary's state, "
            + "2xx passes; bounded timeout on the stream thread)";

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
        ENTRIES.put("Subset.trafficPolicy", new Entry(Outcome.ENFORCED, SUBSET));
        ENTRIES.put("TrafficPolicy.outlierDetection", new Entry(Outcome.ENFORCED, OUTLIER + "; without this block in the"
                + " service's DestinationRule or the mesh-wide one (root namespace, host *.local) detection is off, as in Istio"));
        enforced(OUTLIER, "OutlierDetection.consecutive5xxErrors",
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
        enforced(MATCH, "HttpMatchRequest.queryParams", "HttpMatchRequest.authority", "HttpMatchRequest.port",
                "HttpMatchRequest.withoutHeaders");
        enforced(SOURCE_LABELS, "HttpMatchRequest.sourceLabels", "HttpMatchRequest.sourceNamespace");
        enforced(HEADERS, "HttpRoute.headers", "HttpRouteDestination.headers", "Headers.request", "Headers.response",
                "HeaderOperations.set", "HeaderOperations.add", "HeaderOperations.remove");
        enforced(REWRITE, "HttpRoute.rewrite", "HttpRewrite.uri", "HttpRewrite.authority", "HttpRewrite.uriRegexRewrite",
                "RegexRewrite.match", "RegexRewrite.rewrite");
        enforced(REDIRECT, "HttpRoute.redirect", "HttpRedirect.uri", "HttpRedirect.authority", "HttpRedirect.scheme",
                "HttpRedirect.port", "HttpRedirect.redirectCode");
        enforced(PORT, "Destination.port");
        enforced(MIRROR, "HttpRoute.mirror", "HttpRoute.mirrorPercentage");
        enforced(RING_HASH, "TrafficPolicy.consistentHash", "ConsistentHashLB.httpHeaderName", "ConsistentHashLB.httpCookie",
                "ConsistentHashLB.useSourceIp", "ConsistentHashLB.httpQueryParameterName", "ConsistentHashLB.minimumRingSize",
                "HttpCookie.name", "HttpCookie.path", "HttpCookie.ttl");
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
        ENTRIES.put("CanaryAnalysis.mirror", new Entry(Outcome.ENFORCED, "pipeline canary.MirrorStage: a stage before "
                + "the first weighted step, the route mirrors mirrorWeight percent of stable's requests to the canary "
                + "(proxy http.ShadowSender) and shadow-status-mismatch / shadow-body-mismatch are checked"));
        ENTRIES.put("CanaryAnalysis.mirrorWeight", new Entry(Outcome.ENFORCED, "pipeline canary.MirrorStage "
                + "(the stage's route mirrorPercentage; default 100)"));
        enforced(STICKY, "HttpRoute.stickyWeights", "StickyWeights.header", "StickyWeights.cookie");
        ENTRIES.put("CanaryAnalysis.sessionAffinity", new Entry(Outcome.ENFORCED, CANARY
                + ": written as stickyWeights on the canary route, applied by " + STICKY));
        enforced(CANARY + ", copied into the route's stickyWeights", "CanarySessionAffinity.header",
                "CanarySessionAffinity.cookie");
        enforced(WEBHOOKS, "CanaryAnalysis.webhooks", "CanaryWebhook.name", "CanaryWebhook.type", "CanaryWebhook.url",
                "CanaryWebhook.timeout", "CanaryWebhook.metadata");
        ENTRIES.put("CanaryAnalysis.match", new Entry(Outcome.ENFORCED, CANARY
                + ": copied into the canary route's match, applied by " + ROUTE));
        enforced(MODE, "MeshModeSpec.selector", "MeshModeSpec.mode");
        enforced(TELEMETRY_SCOPE, "TelemetrySpec.selector", "TelemetrySpec.tracing", "TelemetrySpec.metrics",
                "TelemetrySpec.accessLogging");
        for (var field : new String[] {"randomSamplingPercentage", "customTags", "disableRequestTelemetry"}) {
            ENTRIES.put("TelemetrySpec." + field, new Entry(Outcome.REFUSED, FLAT_FORM
                    + " (telemetry to Kafka is meshlog's data plane contract and stays on)"));
        }
        enforced(TRACING, "TelemetryTracing.randomSamplingPercentage", "TelemetryTracing.customTags",
                "TracingCustomTag.literal", "TracingCustomTag.header", "TracingCustomTag.environment",
                "TracingLiteral.value", "TracingRequestHeader.name", "TracingRequestHeader.defaultValue",
                "TracingEnvironment.name", "TracingEnvironment.defaultValue");
        enforced(METRICS, "TelemetryMetrics.overrides", "MetricsOverride.match", "MetricsOverride.disabled",
                "MetricsOverride.tagOverrides", "MetricSelector.metric", "MetricSelector.mode", "MetricTagOverride.operation");
        ENTRIES.put("MetricTagOverride.value", new Entry(Outcome.ENFORCED, METRICS + ": string literals ('v1'); "
                + "other CEL expressions are WARNED " + IstioFields.TELEMETRY + " and leave the label as it is"));
        enforced(ACCESS_LOG, "TelemetryAccessLogging.disabled");
        enforced(EXCLUDED, "ExcludedWorkloadSpec.services", "ExcludedWorkloadSpec.endpoints");
        enforced(EXCLUSION_RECORD + " (ML0111: STRICT mTLS or ALLOW-only authorization would refuse it as a caller, "
                + "ML0110: review date passed)", "ExcludedWorkloadSpec.workload", "ExcludedWorkloadSpec.calls");
        enforced(EXCLUSION_RECORD + "; required (validation refuses a blank one)", "ExcludedWorkloadSpec.owner",
                "ExcludedWorkloadSpec.reason", "ExcludedWorkloadSpec.since");
        enforced(EXCLUSION_RECORD + " ML0110 warns once it has passed", "ExcludedWorkloadSpec.reviewDate");
        enforced(SIDECAR, "SidecarSpec.workloadSelector", "SidecarSpec.egress", "IstioEgressListener.hosts");
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
