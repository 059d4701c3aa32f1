package io.meshlog.proxy.runtime;

import io.meshlog.policy.model.MeshScope;
import io.meshlog.proxy.config.ProxyConfig;
import io.meshlog.proxy.discovery.EndpointDirectory;
import io.meshlog.proxy.discovery.ExcludedEndpoints;
import io.meshlog.proxy.policy.PolicyState;
import io.meshlog.schemas.v1.ExcludedWorkloadSpec;
import io.meshlog.proxy.observability.ProxyMetrics;
import io.meshlog.proxy.http.ShadowGate;
import io.meshlog.proxy.http.TelemetryRecorder;
import io.meshlog.proxy.ratelimit.GlobalRateCounter;
import io.meshlog.proxy.ratelimit.GlobalRateLimitSettings;
import io.meshlog.proxy.ratelimit.GlobalRateLimits;
import io.meshlog.proxy.ratelimit.InMemoryGlobalRateCounter;
import io.meshlog.proxy.ratelimit.RateLimiters;
import io.meshlog.proxy.resilience.ClusterEjections;
import io.meshlog.proxy.resilience.ClusterRegistry;
import io.meshlog.proxy.resilience.ClusterRetryBudgets;
import io.meshlog.proxy.resilience.EjectionView;
import io.meshlog.proxy.resilience.LocalOutlierDetector;
import io.meshlog.proxy.security.MaterialSource;
import io.meshlog.proxy.security.TransportSecurity;
import io.meshlog.proxy.snapshot.SnapshotCompiler;
import io.meshlog.proxy.snapshot.SnapshotHolder;
import io.meshlog.proxy.snapshot.SnapshotUpdater;
import io.meshlog.proxy.telemetry.TelemetrySink;
import io.meshlog.proxy.tracing.RequestTracer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;

/**
 * The long-lived parts of one proxy, shared by its listeners and fed by its background adapters:
 * the policy consumer calls {@link #policyUpdates()} with each {@code PolicyState}, a decisions
 * consumer writes to {@link #clusterEjections()} and {@link #clusterRetryBudgets()}, a ConfigAck publisher listens with {@code
 * policyUpdates().onApplied(...)}.
 */
public final class ProxyRuntime {
    private final ProxyConfig config;
    private final EndpointDirectory directory;
    private final TelemetrySink telemetrySink;
    private final RequestTracer tracer;
    private final PrometheusMeterRegistry registry;
    private final Clock clock;
    private final SnapshotHolder snapshots = new SnapshotHolder();
    private final SnapshotUpdater updater;
    private final SnapshotCompiler compiler;
    private final ClusterRegistry clusters;
    private final EjectionView ejections;
    private final ClusterRetryBudgets clusterRetryBudgets;
    private final ProxyMetrics metrics;
    private final TelemetryRecorder telemetry;
    private final GlobalRateLimits globalRateLimits;
    private final ShadowGate shadowGate;
    private volatile TransportSecurity security;

    /**
     * @param config listeners and identity
     * @param directory where endpoints come from (static, or the Hazelcast registry)
     * @param telemetrySink where per-try telemetry goes ({@link TelemetrySink#NONE} to drop it)
     * @param tracer {@link RequestTracer#NOOP} when tracing is off
     * @param registry the Prometheus registry {@code /metrics} scrapes
     * @param clock time for ejections and rate limits
     */
    public ProxyRuntime(ProxyConfig config, EndpointDirectory directory, TelemetrySink telemetrySink, RequestTracer tracer,
            PrometheusMeterRegistry registry, Clock clock) {
        this(config, directory, telemetrySink, tracer, registry, clock,
                new InMemoryGlobalRateCounter(clock, GlobalRateLimitSettings.DEFAULT.unavailableAfter()));
    }

    /**
     * As above, with the counter global rate limits share (Hazelcast in the mesh; without one, a
     * process-local counter makes this proxy the only holder of each global limit).
     */
    public ProxyRuntime(ProxyConfig config, EndpointDirectory directory, TelemetrySink telemetrySink, RequestTracer tracer,
            PrometheusMeterRegistry registry, Clock clock, GlobalRateCounter globalCounter) {
        this(config, directory, telemetrySink, tracer, registry, clock, globalCounter, MeshScope.DEFAULT_ROOT_NAMESPACE);
    }

    /**
     * As above, with the mesh root namespace, whose DestinationRule with a mesh-wide host
     * ({@code *.local}) applies to every service without one of its own.
     */
    public ProxyRuntime(ProxyConfig config, EndpointDirectory directory, TelemetrySink telemetrySink, RequestTracer tracer,
            PrometheusMeterRegistry registry, Clock clock, GlobalRateCounter globalCounter, String rootNamespace) {
        this.config = config;
        var excluded = new ExcludedEndpoints(directory);
        this.directory = excluded;
        this.telemetrySink = telemetrySink;
        this.tracer = tracer;
        this.registry = registry;
        this.clock = clock;
        this.metrics = new ProxyMetrics(registry, config.workload());
        this.globalRateLimits = new GlobalRateLimits(globalCounter, config.proxyId(), GlobalRateLimitSettings.DEFAULT, clock);
        globalRateLimits.onCreated(metrics::bindGlobalRateLimit);
        this.compiler = new SnapshotCompiler(config.namespace(), rootNamespace, config.labels(),
                new RateLimiters(clock, globalRateLimits));
        this.updater = new SnapshotUpdater(compiler, this.directory, snapshots);
        updater.beforeCompile(state -> excluded.update(exclusions(state)));
        this.clusters = new ClusterRegistry(this.directory);
        this.ejections = new EjectionView(new LocalOutlierDetector(clock), new ClusterEjections(clock));
        this.clusterRetryBudgets = new ClusterRetryBudgets(clock);
        metrics.bindTelemetryDrops(telemetrySink, sink -> sink.dropped());
        this.shadowGate = new ShadowGate(config.mirror());
        metrics.bindMirrorInFlight(shadowGate, ShadowGate::inFlight);
        this.telemetry = new TelemetryRecorder(telemetrySink, config.proxyId(), config.workload(), config.namespace());
    }

    private static java.util.List<ExcludedWorkloadSpec> exclusions(PolicyState state) {
        return state.policies().values().stream().filter(e -> e.getSpec() instanceof ExcludedWorkloadSpec)
                .map(e -> (ExcludedWorkloadSpec) e.getSpec()).toList();
    }

    public ProxyConfig config() { return config; }
    public EndpointDirectory directory() { return directory; }
    public TelemetrySink telemetrySink() { return telemetrySink; }
    public RequestTracer tracer() { return tracer; }
    public PrometheusMeterRegistry registry() { return registry; }
    public Clock clock() { return clock; }
    public SnapshotHolder snapshots() { return snapshots; }
    /** The {@code Consumer<PolicyState>} to hand to the policy consumer. */
    public SnapshotUpdater policyUpdates() { return updater; }
    public ClusterRegistry clusters() { return clusters; }
    public EjectionView ejections() { return ejections; }
    /** The cluster-wide side of ejection, for the decisions consumer. */
    public ClusterEjections clusterEjections() { return ejections.cluster(); }
    /** The cluster-wide retry budgets, for the decisions consumer; asked before every retry. */
    public ClusterRetryBudgets clusterRetryBudgets() { return clusterRetryBudgets; }
    public ProxyMetrics metrics() { return metrics; }
    public TelemetryRecorder telemetry() { return telemetry; }
    /** The bound of mirrored copies in flight, shared by every event loop. */
    public ShadowGate shadowGate() { return shadowGate; }
    /** This proxy's shares of the global rate limits; close it when the proxy stops. */
    public GlobalRateLimits globalRateLimits() { return globalRateLimits; }

    /**
     * Turns on mutual TLS, PeerAuthentication and AuthorizationPolicy for the listeners deployed
     * from now on (call before deploying the verticle). Without it the proxy is plaintext.
     *
     * @param source the workload's key and certificate, e.g. {@code MaterialSource.of(workloadIdentity)}
     * @param rootNamespace the namespace whose selector-less policies are mesh-wide
     */
    public TransportSecurity enableSecurity(MaterialSource source, String rootNamespace) {
        rootNamespace(rootNamespace);
        security = new TransportSecurity(source, rootNamespace, config, updater::state, registry, clock);
        return security;
    }

    /**
     * Sets the mesh root namespace ({@code meshlog-system} unless configured), whose mesh-wide
     * DestinationRule and selector-less Telemetry apply to every workload; call before the policy
     * consumer starts.
     */
    public void rootNamespace(String rootNamespace) {
        compiler.rootNamespace(rootNamespace);
    }

    /** The transport security, when enabled. */
    public java.util.Optional<TransportSecurity> security() { return java.util.Optional.ofNullable(security); }
}
