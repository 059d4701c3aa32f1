package io.meshlog.policy.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * Istio fields meshlog's spec records have no place for, and what a document that sets them gets:
 * a warning with a stable analyze code (accepted, not enforced, safe to ignore) or a refusal (ignoring
 * it would make the policy broader or weaker than written). A key that is neither here nor in the
 * schema is unknown to Istio too, and refused as a typo.
 *
 * <p>Keys are {@code <context>.<field>}: the context is the Avro record name, or for Istio's nested
 * groups and wrappers the record, then the group ({@code ConnectionPoolSettings.http}) or the
 * wrapped field ({@code TrafficPolicy.loadBalancer}).
 */
public final class IstioFields {
    /** What meshlog does with one Istio field it has no place for. */
    public enum Treatment { WARNED, REFUSED }

    /**
     * One entry.
     *
     * @param treatment warned or refused
     * @param code the stable analyze code of a warning (null when refused)
     * @param why the reason, said to the user
     */
    public record Entry(Treatment treatment, String code, String why) {}

    /** exportTo: every meshlog policy is visible mesh-wide. */
    public static final String EXPORT_TO = "ML0201";
    /** gateways: meshlog has no ingress or egress gateway yet. */
    public static final String GATEWAYS = "ML0202";
    /** corsPolicy: the proxy does not answer CORS preflights. */
    public static final String CORS = "ML0203";
    /** connectionPool.http.h2UpgradePolicy and other HTTP/2 settings. */
    public static final String HTTP2 = "ML0204";
    /** loadBalancer.localityLbSetting / warmup, consistentHash.maglev. */
    public static final String LOAD_BALANCER = "ML0205";
    /** trafficPolicy.portLevelSettings. */
    public static final String PORT_LEVEL = "ML0206";
    /** trafficPolicy.tls.mode DISABLE: meshlog keeps auto mTLS to sidecars. */
    public static final String TLS = "ML0207";
    /** Connection settings the Vert.x client has no equivalent of. */
    public static final String CONNECTION = "ML0208";
    /** Observability-only fields (statPrefix, retryRemoteLocalities, several mirrors). */
    public static final String OTHER = "ML0209";
    /** A Telemetry field meshlog does not apply (providers, reporting interval, CEL expressions, ...). */
    public static final String TELEMETRY = "ML0210";
    /** Flagger Canary fields meshlog's canary controller does not apply. */
    public static final String CANARY = "ML0211";
    /** Istio Sidecar fields that shape listeners meshlog configures on the proxy itself. */
    public static final String SIDECAR = "ML0212";

    private static final Map<String, Entry> ENTRIES = new TreeMap<>();

    static {
        warn("VirtualServiceSpec.exportTo", EXPORT_TO, "every meshlog policy is visible to the whole mesh");
        warn("DestinationRuleSpec.exportTo", EXPORT_TO, "every meshlog policy is visible to the whole mesh");
        warn("VirtualServiceSpec.gateways", GATEWAYS, "meshlog has no gateway yet; the routes apply to sidecars");
        warn("HttpRoute.corsPolicy", CORS, "the proxy passes CORS requests and preflights through to the app");
        warn("ConnectionPoolSettings.http.h2UpgradePolicy", HTTP2,
                "meshlog's upstream connections stay HTTP/1.1 (DO_NOT_UPGRADE)");
        warn("ConnectionPoolSettings.http.useClientProtocol", HTTP2,
                "meshlog's upstream connections stay HTTP/1.1");
        warn("ConnectionPoolSettings.http.maxConcurrentStreams", HTTP2,
                "meshlog's upstream connections are HTTP/1.1, without streams");
        warn("ConnectionPoolSettings.http.maxRetries", CONNECTION,
                "retries are capped by the route's retries and the mesh-wide RetryBudget instead");
        warn("ConnectionPoolSettings.tcp.tcpKeepalive", CONNECTION, "the OS keep-alive settings apply");
        warn("ConnectionPoolSettings.tcp.maxConnectionDuration", CONNECTION,
                "upstream connections live until idle or closed by the server");
        warn("ConnectionPoolSettings.tcp.idleTimeout", CONNECTION, "use connectionPool.http.idleTimeout");
        warn("ConsistentHashLB.maglev", LOAD_BALANCER,
                "meshlog always uses a ring hash (ringHash.minimumRingSize); maglev's tableSize is not used");
        warn("HttpCookie.attributes", LOAD_BALANCER, "a generated cookie carries Path and Max-Age only");
        warn("HttpRedirect.derivePort", OTHER, "the Location carries redirect.port when set, else the port of "
                + "redirect.authority, else the request's port unless the scheme changes");
        warn("TrafficPolicy.loadBalancer.localityLbSetting", LOAD_BALANCER, "meshlog endpoints carry no locality");
        warn("TrafficPolicy.loadBalancer.warmupDurationSecs", LOAD_BALANCER, "new endpoints get full traffic at once");
        warn("TrafficPolicy.loadBalancer.warmup", LOAD_BALANCER, "new endpoints get full traffic at once");
        warn("TrafficPolicy.portLevelSettings", PORT_LEVEL,
                "a meshlog service has one port: the service-level trafficPolicy applies to it");
        warn("TrafficPolicy.tunnel", CONNECTION, "meshlog does not tunnel");
        warn("TrafficPolicy.proxyProtocol", CONNECTION, "meshlog does not send PROXY protocol headers");
        warn("OutlierDetection.splitExternalLocalOriginErrors", OTHER,
                "connect failures and 5xx both count as errors of the endpoint");
        warn("OutlierDetection.consecutiveLocalOriginFailures", OTHER,
                "connect failures count towards consecutive5xxErrors");
        warn("HttpRetry.retryRemoteLocalities", OTHER, "meshlog endpoints carry no locality");
        warn("HttpRoute.mirrors", OTHER, "several mirrors are not implemented: use mirror (one destination) "
                + "with mirrorPercentage; the primary route is unchanged");
        refuse("HttpRoute.mirror_percent", "deprecated by Istio: write mirrorPercentage: {value: N}");
        warn("HttpMatchRequest.statPrefix", OTHER, "route statistics are labelled by route name");

        warn("TelemetryTracing.providers", TELEMETRY, "meshlog has one tracer: the proxy's OpenTelemetry exporter "
                + "(tracing.otlp); provider names are not checked");
        warn("TelemetryTracing.match", TELEMETRY, "the tracing settings apply to client and server spans alike");
        warn("TelemetryTracing.disableSpanReporting", TELEMETRY,
                "sampled spans are exported whenever the proxy has an OTLP endpoint");
        warn("TelemetryTracing.useRequestIdForTraceSampling", TELEMETRY,
                "new traces are sampled on the trace id (W3C / OpenTelemetry ratio sampling)");
        warn("TelemetryTracing.enableIstioTags", TELEMETRY, "spans carry OpenTelemetry's HTTP attributes");
        warn("TelemetryMetrics.providers", TELEMETRY, "meshlog has one metrics provider: the Prometheus endpoint "
                + "of the admin port; provider names are not checked");
        warn("TelemetryMetrics.reportingInterval", TELEMETRY, "Prometheus pulls /metrics at its own interval");
        warn("MetricSelector.customMetric", TELEMETRY, "meshlog has no custom metrics: the override selects nothing");
        warn("TelemetryAccessLogging.providers", TELEMETRY, "meshlog has one access log, the proxy's "
                + "meshlog.access logger (Envoy's text format); provider names are not checked");
        warn("TelemetryAccessLogging.match", TELEMETRY, "the access log covers client and server requests alike");
        warn("TelemetryAccessLogging.filter", TELEMETRY,
                "CEL filters are not evaluated: every request is logged while the access log is on");
        refuse("TelemetrySpec.targetRef", "Telemetry selects workloads with selector only (meshlog has no gateways)");
        refuse("TelemetrySpec.targetRefs", "Telemetry selects workloads with selector only (meshlog has no gateways)");
        // Flagger's Canary fields (meshlog's Canary keeps Flagger's names where the meaning is the same).
        warn("CanarySpec.service", CANARY, "the controller writes the target's VirtualService itself, "
                + "named after the Canary; port, hosts and gateways come from the service and its DestinationRule");
        warn("CanarySpec.autoscalerRef", CANARY, "meshlog does not scale workloads");
        warn("CanarySpec.progressDeadlineSeconds", CANARY, "each step is bounded by analysis.interval instead");
        refuse("CanarySpec.revertOnDeletion", "deleting a Canary leaves its VirtualService as it is; "
                + "revert by applying the stable route yourself");
        refuse("CanarySpec.suspend", "not implemented yet: the analysis would go on");
        warn("CanaryTargetRef.kind", CANARY, "a meshlog Canary targets a service by name; its subsets select the workloads");
        warn("CanaryTargetRef.apiVersion", CANARY, "a meshlog Canary targets a service by name; its subsets select the workloads");
        refuse("CanarySessionAffinity.cookieName", "meshlog sets no cookie of its own: name the cookie "
                + "(sessionAffinity.cookie) or header (sessionAffinity.header) the client already sends, whose hash "
                + "places the user in a cohort");
        refuse("CanarySessionAffinity.primaryCookieName", "meshlog sets no cookie of its own: use "
                + "sessionAffinity.cookie or sessionAffinity.header");
        warn("CanarySessionAffinity.maxAge", CANARY, "meshlog sets no cookie: a user stays in the cohort as long "
                + "as the client sends the same cookie or header value");
        warn("CanaryWebhook.muteAlert", CANARY, "canary alerts are not implemented");
        warn("CanaryAnalysis.canaryReadyThreshold", CANARY, "meshlog does not watch pod readiness; "
                + "a canary without endpoints fails its checks for lack of requests");
        warn("CanaryAnalysis.primaryReadyThreshold", CANARY, "meshlog does not watch pod readiness");
        refuse("CanaryAnalysis.alerts", "canary alerts are not implemented; watch meshctl tail canaries");
        warn("CanaryMetric.interval", CANARY, "meshlog computes each metric over the canary's requests of the "
                + "current step (at least minRequests), compared with the stable subset's over the same time");
        refuse("CanaryMetric.templateRef", "metric templates are not supported; use request-success-rate or request-duration");
        refuse("CanaryMetric.query", "metric queries are not supported; use request-success-rate or request-duration");
        refuse("CanaryMetric.threshold", "use thresholdRange {min, max}: a bare threshold's direction depends on the metric");

        // Istio's Sidecar: egress.hosts scopes what a proxy holds; the listener-shaping fields are not applied.
        refuse("SidecarSpec.ingress", "meshlog's inbound listener is set in the proxy's configuration (inbound.listen, "
                + "inbound.app.port); an ingress listener here would not be applied");
        refuse("SidecarSpec.outboundTrafficPolicy", "meshlog answers a host outside the Sidecar's egress hosts as "
                + "Istio's REGISTRY_ONLY does (502, flag NR: no route); ALLOW_ANY passthrough and egressProxy are not implemented");
        warn("SidecarSpec.inboundConnectionPool", SIDECAR, "the inbound listener's limits come from the proxy's configuration");
        refuse("IstioEgressListener.port", "meshlog has one outbound listener for every port: a port-specific egress "
                + "listener would scope all ports");
        warn("IstioEgressListener.bind", SIDECAR, "the outbound listener's address comes from the proxy's configuration");
        warn("IstioEgressListener.captureMode", SIDECAR, "meshlog's outbound listener is explicit (no iptables capture)");
        refuse("VirtualServiceSpec.tcp", "meshlog routes HTTP only; TCP routes would not be applied");
        refuse("VirtualServiceSpec.tls", "meshlog routes HTTP only; TLS (SNI) routes would not be applied");
        refuse("HttpRoute.delegate", "VirtualService delegation is not implemented");
        refuse("HttpRoute.directResponse", "direct responses are not implemented: the request would reach the app");
        refuse("HttpMatchRequest.scheme", "matching on the scheme is not implemented: the route would match more");
        refuse("HttpMatchRequest.gateways", "meshlog has no gateway; the route would match more than written");
        refuse("FaultDelay.exponentialDelay", "only fixedDelay is implemented");
        refuse("FaultAbort.grpcStatus", "gRPC aborts are not implemented; use httpStatus");
        refuse("FaultAbort.http2Error", "HTTP/2 error aborts are not implemented; use httpStatus");
        refuse("DestinationRuleSpec.workloadSelector",
                "a DestinationRule applies to every client; a workloadSelector would be ignored");
        refuse("AuthorizationPolicySpec.targetRef", "policies select workloads with selector only");
        refuse("AuthorizationPolicySpec.targetRefs", "policies select workloads with selector only");
        refuse("AuthorizationPolicySpec.provider",
                "CUSTOM (external) authorization is not implemented; use ALLOW or DENY rules");
        refuse("AuthorizationAction.CUSTOM",
                "CUSTOM (external) authorization is not implemented; use ALLOW, DENY or AUDIT");
        refuse("PeerAuthenticationSpec.targetRef", "policies select workloads with selector only");
        refuse("Source.requestPrincipals", "JWT request principals are not implemented: the rule would match more");
        refuse("Source.notRequestPrincipals", "JWT request principals are not implemented: the rule would match more");
        refuse("Source.ipBlocks", "IP blocks are not implemented: the rule would match more");
        refuse("Source.notIpBlocks", "IP blocks are not implemented: the rule would match more");
        refuse("Source.remoteIpBlocks", "IP blocks are not implemented: the rule would match more");
        refuse("Source.notRemoteIpBlocks", "IP blocks are not implemented: the rule would match more");
        refuse("Source.serviceAccounts", "use principals (cluster.local/ns/<ns>/sa/<sa>)");
        refuse("Source.notServiceAccounts", "use notPrincipals (cluster.local/ns/<ns>/sa/<sa>)");
    }

    private IstioFields() {}

    private static void warn(String key, String code, String why) {
        ENTRIES.put(key, new Entry(Treatment.WARNED, code, why));
    }

    private static void refuse(String key, String why) {
        ENTRIES.put(key, new Entry(Treatment.REFUSED, null, why));
    }

    /** What {@code field} gets in {@code context}, or null when Istio has no such field either. */
    public static Entry find(String context, String field) {
        return ENTRIES.get(context + "." + field);
    }

    /** Every entry, by key (for the compatibility table and its test). */
    public static Map<String, Entry> all() {
        return java.util.Collections.unmodifiableMap(ENTRIES);
    }
}
