package io.meshlog.policy.validate;

import io.meshlog.policy.model.Durations;
import io.meshlog.policy.model.IstioFields;
import io.meshlog.policy.model.MeshScope;
import io.meshlog.policy.model.PolicyDocument;
import io.meshlog.policy.model.SidecarScope;
import io.meshlog.schemas.v1.AuthorizationPolicySpec;
import io.meshlog.schemas.v1.CanarySpec;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.ExcludedWorkloadSpec;
import io.meshlog.schemas.v1.LoadBalancer;
import io.meshlog.schemas.v1.OutlierDetection;
import io.meshlog.schemas.v1.MeshModeSpec;
import io.meshlog.schemas.v1.PeerAuthenticationSpec;
import io.meshlog.schemas.v1.RateLimitPolicySpec;
import io.meshlog.schemas.v1.RetryBudgetSpec;
import io.meshlog.schemas.v1.ServiceLevelObjectiveSpec;
import io.meshlog.schemas.v1.SidecarSpec;
import io.meshlog.schemas.v1.TelemetrySpec;
import io.meshlog.schemas.v1.TrafficPolicy;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import io.meshlog.schemas.v1.WorkloadSelector;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/** The rules a bound document must keep beyond its types; every violation at once. */
public final class SpecValidator {
    static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** The proxy's ring limit (Envoy's 8M points would not fit a sidecar's 64 MB heap). */
    private static final int MAX_RING_SIZE = 65_536;
    private static final Pattern STATUS_CLASS = Pattern.compile("[1-5]xx|[1-5]\\d\\d");

    private SpecValidator() {}

    /**
     * The violations of {@code doc}.
     *
     * @param lines the source line of a path (0 when unknown)
     */
    public static List<Violation> validate(PolicyDocument doc, ToIntFunction<String> lines, ValidationContext context) {
        var checks = new Checks(lines);
        checks.dnsLabel(doc.name(), "metadata.name");
        checks.dnsLabel(doc.namespace(), "metadata.namespace");
        checks.labels(doc.labels(), "metadata.labels");
        var spec = doc.spec();
        if (spec instanceof DestinationRuleSpec dr) {
            destinationRule(dr, checks);
        } else if (spec instanceof VirtualServiceSpec vs) {
            RouteRules.virtualService(vs, doc.namespace(), checks, context);
        } else if (spec instanceof AuthorizationPolicySpec ap) {
            AuthzRules.authorizationPolicy(ap, checks);
        } else if (spec instanceof PeerAuthenticationSpec pa) {
            selector(pa.getSelector(), checks);
            pa.getPortLevelMtls().keySet().forEach(port -> port(port, "spec.portLevelMtls." + port, checks));
            checks.require(pa.getPortLevelMtls().isEmpty() || pa.getSelector() != null, "spec.portLevelMtls",
                    "needs a selector: port-level mTLS applies to selected workloads only");
        } else if (spec instanceof RateLimitPolicySpec rl) {
            rateLimit(rl, checks);
        } else if (spec instanceof RetryBudgetSpec rb) {
            checks.require(!rb.getHost().isBlank(), "spec.host", "must not be empty");
            checks.range(rb.getRetryRatio(), 0, 1, "spec.retryRatio");
            checks.atLeast(rb.getMinRetriesPerSecond(), 0, "spec.minRetriesPerSecond");
            checks.atLeast(rb.getTtl(), 1, "spec.ttl");
        } else if (spec instanceof ServiceLevelObjectiveSpec slo) {
            slo(slo, checks);
        } else if (spec instanceof MeshModeSpec mode) {
            selector(mode.getSelector(), checks);
        } else if (spec instanceof CanarySpec canary) {
            CanaryRules.canary(canary, doc.namespace(), checks, context);
        } else if (spec instanceof ExcludedWorkloadSpec excluded) {
            ExclusionRules.excludedWorkload(excluded, checks);
        } else if (spec instanceof SidecarSpec sidecar) {
            sidecar(sidecar, checks);
        } else if (spec instanceof TelemetrySpec t) {
            selector(t.getSelector(), checks);
            TelemetryRules.telemetry(t, checks);
        }
        return checks.violations();
    }

    /** Istio's rules for egress hosts; a Sidecar without egress would cut the proxy off from every service. */
    private static void sidecar(SidecarSpec sidecar, Checks checks) {
        selector(sidecar.getWorkloadSelector(), checks);
        checks.require(!sidecar.getEgress().isEmpty(), "spec.egress",
                "must list at least one egress listener with hosts (e.g. hosts: [\"./*\"]): a Sidecar without "
                        + "egress would leave the proxy no service to call");
        for (int i = 0; i < sidecar.getEgress().size(); i++) {
            var hosts = sidecar.getEgress().get(i).getHosts();
            var path = "spec.egress[" + i + "].hosts";
            checks.require(!hosts.isEmpty(), path, "must name at least one namespace/host");
            for (int j = 0; j < hosts.size(); j++) {
                var problem = SidecarScope.hostProblem(hosts.get(j));
                checks.require(problem == null, path + "[" + j + "]", problem);
            }
        }
    }

    private static void destinationRule(DestinationRuleSpec dr, Checks checks) {
        checks.require(!dr.getHost().isBlank(), "spec.host", "must not be empty");
        checks.require(!MeshScope.isWildcard(dr.getHost()) || MeshScope.isMeshWideHost(dr.getHost()), "spec.host",
                "wildcard host \"" + dr.getHost() + "\" is not supported: name a service, or write the mesh-wide rule "
                        + "(host *.local) in the mesh root namespace (meshlog-system unless configured otherwise)");
        trafficPolicy(dr.getTrafficPolicy(), "spec.trafficPolicy", checks);
        var names = new HashSet<String>();
        for (int i = 0; i < dr.getSubsets().size(); i++) {
            var subset = dr.getSubsets().get(i);
            var path = "spec.subsets[" + i + "]";
            checks.dnsLabel(subset.getName(), path + ".name");
            checks.require(names.add(subset.getName()), path + ".name",
                    "duplicate subset name \"" + subset.getName() + "\"");
            checks.labels(subset.getLabels(), path + ".labels");
            trafficPolicy(subset.getTrafficPolicy(), path + ".trafficPolicy", checks);
        }
    }

    private static void trafficPolicy(TrafficPolicy policy, String path, Checks checks) {
        if (policy == null) {
            return;
        }
        checks.require(policy.getLoadBalancer() != LoadBalancer.PASSTHROUGH, path + ".loadBalancer.simple",
                "PASSTHROUGH is not supported by meshlog: the proxy picks an endpoint; use ROUND_ROBIN, LEAST_REQUEST or RANDOM");
        consistentHash(policy, path + ".loadBalancer", checks);
        var pool = policy.getConnectionPool();
        if (pool != null) {
            checks.atLeast(pool.getMaxConnections(), 1, path + ".connectionPool.tcp.maxConnections");
            checks.atLeast(pool.getConnectTimeout(), 1, path + ".connectionPool.tcp.connectTimeout");
            checks.atLeast(pool.getHttp1MaxPendingRequests(), 1, path + ".connectionPool.http.http1MaxPendingRequests");
            checks.atLeast(pool.getHttp2MaxRequests(), 1, path + ".connectionPool.http.http2MaxRequests");
            checks.atLeast(pool.getMaxRequestsPerConnection(), 0, path + ".connectionPool.http.maxRequestsPerConnection");
        }
        outlier(policy.getOutlierDetection(), path + ".outlierDetection", checks);
    }

    /** Istio's loadBalancer is a oneof; consistentHash's hash key is a oneof too. */
    private static void consistentHash(TrafficPolicy policy, String path, Checks checks) {
        var hash = policy.getConsistentHash();
        if (hash == null) {
            return;
        }
        var at = path + ".consistentHash";
        checks.require(policy.getLoadBalancer() == null, path, "set loadBalancer.simple or loadBalancer.consistentHash, not both");
        int keys = (hash.getHttpHeaderName() != null ? 1 : 0) + (hash.getHttpCookie() != null ? 1 : 0)
                + (hash.getUseSourceIp() ? 1 : 0) + (hash.getHttpQueryParameterName() != null ? 1 : 0);
        checks.require(keys == 1, at, "must set exactly one of httpHeaderName, httpCookie, useSourceIp or "
                + "httpQueryParameterName, but sets " + keys);
        if (hash.getHttpHeaderName() != null) {
            checks.require(TOKEN.matcher(hash.getHttpHeaderName()).matches(), at + ".httpHeaderName",
                    "is not a valid header name, but was \"" + hash.getHttpHeaderName() + "\"");
        }
        if (hash.getHttpCookie() != null) {
            var cookie = hash.getHttpCookie();
            checks.require(TOKEN.matcher(cookie.getName()).matches(), at + ".httpCookie.name",
                    "is not a valid cookie name, but was \"" + cookie.getName() + "\"");
            checks.atLeast(cookie.getTtl(), 0, at + ".httpCookie.ttl");
            if (cookie.getPath() != null) {
                checks.require(cookie.getPath().startsWith("/") && cookie.getPath().matches("[\\x21-\\x7e&&[^;]]*"),
                        at + ".httpCookie.path", "must be a path starting with '/' without ';' or spaces");
            }
        }
        if (hash.getHttpQueryParameterName() != null) {
            checks.require(!hash.getHttpQueryParameterName().isBlank(), at + ".httpQueryParameterName", "must not be empty");
        }
        var ring = hash.getMinimumRingSize();
        checks.require(ring == null || (ring >= 1 && ring <= MAX_RING_SIZE), at + ".ringHash.minimumRingSize",
                "must be between 1 and " + MAX_RING_SIZE + " (meshlog's ring limit: Envoy's 8M-point rings would not fit "
                        + "a sidecar's heap), but was " + ring);
    }

    private static void outlier(OutlierDetection od, String path, Checks checks) {
        if (od == null) {
            return;
        }
        checks.atLeast(od.getConsecutive5xxErrors(), 0, path + ".consecutive5xxErrors");
        checks.atLeast(od.getConsecutiveGatewayErrors(), 0, path + ".consecutiveGatewayErrors");
        checks.atLeast(od.getInterval(), 1, path + ".interval");
        checks.atLeast(od.getBaseEjectionTime(), 1, path + ".baseEjectionTime");
        checks.range(od.getMaxEjectionPercent(), 0, 100, path + ".maxEjectionPercent");
        checks.range(od.getMinHealthPercent(), 0, 100, path + ".minHealthPercent");
        checks.range(od.getFailurePercentageThreshold(), 0, 100, path + ".failurePercentageThreshold");
        checks.atLeast(od.getSuccessRateStdevFactor(), 0, path + ".successRateStdevFactor");
        if (od.getBaseEjectionTime() != null && od.getMaxEjectionTime() != null) {
            checks.require(od.getMaxEjectionTime() >= od.getBaseEjectionTime(), path + ".maxEjectionTime",
                    "must not be shorter than baseEjectionTime (" + Durations.format(od.getBaseEjectionTime()) + ")");
        }
    }

    static void port(String port, String path, Checks checks) {
        try {
            checks.range(Integer.parseInt(port), 1, 65535, path);
        } catch (NumberFormatException e) {
            checks.error(path, "must be a port number, but was \"" + port + "\"");
        }
    }

    static void selector(WorkloadSelector selector, Checks checks) {
        if (selector != null) {
            checks.require(!selector.getMatchLabels().isEmpty(), "spec.selector.matchLabels",
                    "must have at least one label (leave out the selector to select every workload)");
            checks.labels(selector.getMatchLabels(), "spec.selector.matchLabels");
        }
    }

    private static void rateLimit(RateLimitPolicySpec rl, Checks checks) {
        selector(rl.getSelector(), checks);
        checks.require(rl.getTokenBucket() != null || rl.getGlobal() != null, "spec",
                "needs a tokenBucket or a global limit");
        var bucket = rl.getTokenBucket();
        if (bucket != null) {
            checks.atLeast(bucket.getMaxTokens(), 1, "spec.tokenBucket.maxTokens");
            checks.atLeast(bucket.getTokensPerFill(), 1, "spec.tokenBucket.tokensPerFill");
            checks.atLeast(bucket.getFillInterval(), 1, "spec.tokenBucket.fillInterval");
        }
        if (rl.getGlobal() != null) {
            checks.atLeast(rl.getGlobal().getRequestsPerUnit(), 1, "spec.global.requestsPerUnit");
        }
    }

    private static void slo(ServiceLevelObjectiveSpec slo, Checks checks) {
        checks.require(!slo.getService().isBlank(), "spec.service", "must not be empty");
        checks.require(slo.getTarget() > 0 && slo.getTarget() < 100, "spec.target",
                "must be a percentage above 0 and below 100, such as 99.9, but was " + slo.getTarget());
        SloWindowRules.windowProblem(slo.getWindow()).ifPresent(problem -> checks.error("spec.window", problem));
        for (int i = 0; i < slo.getBadStatusClasses().size(); i++) {
            checks.require(STATUS_CLASS.matcher(slo.getBadStatusClasses().get(i)).matches(),
                    "spec.badStatusClasses[" + i + "]", "must be a status class such as 5xx or a status code, but was \""
                            + slo.getBadStatusClasses().get(i) + "\"");
        }
        for (int i = 0; i < slo.getBurnRateRules().size(); i++) {
            var rule = slo.getBurnRateRules().get(i);
            var path = "spec.burnRateRules[" + i + "]";
            checks.require(rule.getShortWindow() < rule.getLongWindow(), path + ".shortWindow",
                    "must be shorter than longWindow");
            SloWindowRules.burnWindowProblem(rule.getLongWindow(), slo.getWindow())
                    .ifPresent(problem -> checks.error(path + ".longWindow", problem));
            SloWindowRules.burnWindowProblem(rule.getShortWindow(), slo.getWindow())
                    .ifPresent(problem -> checks.error(path + ".shortWindow", problem));
            checks.require(rule.getFactor() > 0, path + ".factor", "must be above 0");
        }
    }
}
