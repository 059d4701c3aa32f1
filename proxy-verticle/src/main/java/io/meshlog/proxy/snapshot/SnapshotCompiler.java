package io.meshlog.proxy.snapshot;

import io.meshlog.policy.model.MeshModes;
import io.meshlog.policy.model.MeshScope;
import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.proxy.discovery.EndpointDirectory;
import io.meshlog.proxy.policy.PolicyState;
import io.meshlog.proxy.ratelimit.RateLimitSpec;
import io.meshlog.proxy.ratelimit.GlobalLimitSpec;
import io.meshlog.proxy.ratelimit.RateLimiters;
import io.meshlog.proxy.ratelimit.RequestLimiter;
import io.meshlog.proxy.resilience.ClusterPolicy;
import io.meshlog.proxy.route.HostRoutes;
import io.meshlog.proxy.route.RouteRule;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.RateLimitPolicySpec;
import io.meshlog.schemas.v1.TelemetrySpec;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import io.meshlog.schemas.v1.WorkloadSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compiles a {@link PolicyState} and the endpoint directory into a {@link MeshSnapshot}: routes per
 * host from VirtualServices, cluster settings from DestinationRules, token buckets from
 * RateLimitPolicies whose selector matches this workload (and shares of their global limits), the
 * Telemetry policies that apply to this workload merged by {@link TelemetryPolicyCompiler}. A policy that cannot be compiled is left
 * out and listed with its reason; compiling never fails. Policies are read in key order, so the
 * first VirtualService (by key) naming a host owns it. A DestinationRule in the mesh root namespace
 * with a mesh-wide host ({@code *.local}, see {@link MeshScope}) applies to every service without a
 * DestinationRule of its own, as in Istio.
 */
public final class SnapshotCompiler {
    private final String workloadNamespace;
    private volatile String rootNamespace;
    private final Map<String, String> workloadLabels;
    private final RateLimiters rateLimiters;
    private final java.util.function.UnaryOperator<String> environment;
    private volatile TelemetryPolicyCompiler telemetry;

    /**
     * @param workloadNamespace this proxy's namespace: a RateLimitPolicy applies only in its own
     *     namespace, as Istio's namespaced policies do (a selector-less one to every workload there)
     * @param workloadLabels this proxy's workload labels (RateLimitPolicy selectors and VirtualService
     *     sourceLabels match them)
     * @param rateLimiters keeps buckets across snapshots
     */
    public SnapshotCompiler(String workloadNamespace, Map<String, String> workloadLabels, RateLimiters rateLimiters) {
        this(workloadNamespace, DEFAULT_ROOT_NAMESPACE, workloadLabels, rateLimiters);
    }

    /**
     * @param rootNamespace the mesh root namespace: its DestinationRule with a mesh-wide host applies
     *     to every service without one of its own, and its selector-less Telemetry is mesh-wide
     */
    public SnapshotCompiler(String workloadNamespace, String rootNamespace, Map<String, String> workloadLabels,
            RateLimiters rateLimiters) {
        this(workloadNamespace, rootNamespace, workloadLabels, rateLimiters, System::getenv);
    }

    /** As above, with the environment that Telemetry's environment tags read. */
    public SnapshotCompiler(String workloadNamespace, String rootNamespace, Map<String, String> workloadLabels,
            RateLimiters rateLimiters, java.util.function.UnaryOperator<String> environment) {
        this.workloadNamespace = workloadNamespace;
        this.workloadLabels = Map.copyOf(workloadLabels);
        this.rateLimiters = rateLimiters;
        this.environment = environment;
        rootNamespace(rootNamespace);
    }

    /** Istio's root namespace in meshlog, unless configured otherwise. */
    public static final String DEFAULT_ROOT_NAMESPACE = MeshScope.DEFAULT_ROOT_NAMESPACE;

    /** Sets the mesh root namespace for the snapshots compiled from now on. */
    public void rootNamespace(String rootNamespace) {
        this.rootNamespace = rootNamespace;
        telemetry = new TelemetryPolicyCompiler(workloadNamespace, workloadLabels, rootNamespace, environment);
    }

    public MeshSnapshot compile(PolicyState state, EndpointDirectory directory) {
        var work = new Work();
        for (var entry : new TreeMap<>(state.policies()).entrySet()) {
            var key = entry.getKey();
            var event = entry.getValue();
            try {
                apply(work, key, event);
                work.generations.put(key, event.getGeneration());
            } catch (InvalidPolicyException | IllegalArgumentException e) {
                work.rejected.add(new RejectedPolicy(key, event.getGeneration(), e.getMessage()));
            }
        }
        rateLimiters.retainGlobal(work.globalKeys);
        var endpoints = new HashMap<String, List<Endpoint>>();
        for (var service : directory.services()) {
            endpoints.put(service, directory.endpoints(service));
        }
        return new MeshSnapshot(state.version(), work.routes, work.clusters, work.meshWide, work.listenerLimits,
                freeze(work.routeLimits), endpoints, work.generations, work.rejected, telemetry.compile(work.telemetry),
                MeshModes.resolve(state.policies().values(), rootNamespace, workloadNamespace, workloadLabels),
                state.scope());
    }

    private void apply(Work work, String key, PolicyEvent event) {
        var spec = event.getSpec();
        if (spec instanceof VirtualServiceSpec virtualService) {
            virtualService(work, key, virtualService);
        } else if (spec instanceof DestinationRuleSpec destinationRule) {
            destinationRule(work, key, event.getNamespace(), destinationRule);
        } else if (spec instanceof RateLimitPolicySpec rateLimit && event.getNamespace().equals(workloadNamespace)) {
            rateLimit(work, key, rateLimit);
        } else if (spec instanceof TelemetrySpec telemetrySpec) {
            telemetry(work, event, telemetrySpec);
        }
        // other kinds (authz, mTLS, budgets, SLOs) are recorded with their generation only
    }

    private static void telemetry(Work work, PolicyEvent event, TelemetrySpec spec) {
        for (int i = 0; i < spec.getTracing().size(); i++) {
            var sampling = spec.getTracing().get(i).getRandomSamplingPercentage();
            if (sampling != null && !(sampling >= 0 && sampling <= 100)) {
                throw new InvalidPolicyException("spec.tracing[" + i + "].randomSamplingPercentage",
                        "must be between 0 and 100, but was " + sampling);
            }
        }
        work.telemetry.add(new TelemetryPolicyCompiler.Source(event.getNamespace(), event.getName(), spec));
    }

    private void destinationRule(Work work, String key, String namespace, DestinationRuleSpec spec) {
        var host = spec.getHost();
        var problem = MeshScope.wildcardProblem(host, namespace, rootNamespace);
        if (problem != null) {
            throw new InvalidPolicyException("spec.host", problem);
        }
        if (MeshScope.isMeshWideHost(host)) {
            if (work.meshWide != null) {
                throw new InvalidPolicyException("spec.host", "the mesh already has the mesh-wide DestinationRule "
                        + work.meshWide.source());
            }
            work.meshWide = ClusterPolicyCompiler.compile(spec, key);
            return;
        }
        var existing = work.clusters.get(host);
        if (existing != null) {
            throw new InvalidPolicyException("spec.host", "host '" + host + "' already has DestinationRule " + existing.source());
        }
        work.clusters.put(host, ClusterPolicyCompiler.compile(spec, key));
    }

    private void virtualService(Work work, String key, VirtualServiceSpec spec) {
        if (spec.getHosts().isEmpty()) {
            throw new InvalidPolicyException("spec.hosts", "must name at least one host");
        }
        var routes = new ArrayList<RouteRule>();
        for (int i = 0; i < spec.getHttp().size(); i++) {
            routes.add(RouteCompiler.compile(spec.getHttp().get(i), "spec.http[" + i + "]", workloadNamespace, workloadLabels));
        }
        for (int i = 0; i < spec.getHosts().size(); i++) {
            var host = spec.getHosts().get(i);
            var owner = work.routes.get(host);
            if (owner != null) {
                throw new InvalidPolicyException("spec.hosts[" + i + "]", "host '" + host + "' is already routed by " + owner.source());
            }
        }
        for (var host : spec.getHosts()) {
            work.routes.put(host, new HostRoutes(host, key, routes));
        }
    }

    private void rateLimit(Work work, String key, RateLimitPolicySpec spec) {
        if (!selects(spec.getSelector())) {
            return;
        }
        var bucket = spec.getTokenBucket();
        if (bucket != null) {
            RateLimitSpec limit;
            try {
                limit = new RateLimitSpec(bucket.getMaxTokens(), bucket.getTokensPerFill(),
                        Duration.ofMillis(bucket.getFillInterval()), spec.getShadow());
            } catch (IllegalArgumentException e) {
                throw new InvalidPolicyException("spec", e.getMessage());
            }
            addLimits(work, key, spec, limiterKey -> rateLimiters.bucket(limiterKey, limit));
        }
        var global = spec.getGlobal();
        if (global != null) {
            var limit = GlobalLimitSpec.of(global, spec.getShadow());
            addLimits(work, key, spec, limiterKey -> {
                work.globalKeys.add(limiterKey);
                return rateLimiters.global(limiterKey, limit);
            });
        }
    }

    /** The listener's limit when the policy names no routes, else one per route (each its own counter). */
    private static void addLimits(Work work, String key, RateLimitPolicySpec spec,
            java.util.function.Function<String, RequestLimiter> limiter) {
        if (spec.getRoutes().isEmpty()) {
            work.listenerLimits.add(new RateLimitRule(key, limiter.apply(key)));
        }
        for (var route : spec.getRoutes()) {
            work.routeLimits.computeIfAbsent(route, r -> new ArrayList<>())
                    .add(new RateLimitRule(key, limiter.apply(key + "#" + route)));
        }
    }

    private boolean selects(WorkloadSelector selector) {
        if (selector == null) {
            return true;
        }
        for (var label : selector.getMatchLabels().entrySet()) {
            if (!label.getValue().equals(workloadLabels.get(label.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, List<RateLimitRule>> freeze(Map<String, List<RateLimitRule>> limits) {
        var frozen = new HashMap<String, List<RateLimitRule>>();
        limits.forEach((route, rules) -> frozen.put(route, List.copyOf(rules)));
        return frozen;
    }

    private static final class Work {
        final Map<String, HostRoutes> routes = new HashMap<>();
        final Map<String, ClusterPolicy> clusters = new HashMap<>();
        ClusterPolicy meshWide;
        final List<RateLimitRule> listenerLimits = new ArrayList<>();
        final Map<String, List<RateLimitRule>> routeLimits = new HashMap<>();
        final Map<String, Long> generations = new HashMap<>();
        final List<RejectedPolicy> rejected = new ArrayList<>();
        final java.util.Set<String> globalKeys = new java.util.HashSet<>();
        final List<TelemetryPolicyCompiler.Source> telemetry = new ArrayList<>();
    }
}
