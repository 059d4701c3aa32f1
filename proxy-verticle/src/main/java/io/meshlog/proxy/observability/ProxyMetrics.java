package io.meshlog.proxy.observability;

import io.meshlog.proxy.ratelimit.GlobalRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The proxy's meters, with Istio's names, labels and buckets so Istio dashboards work:
 * {@code istio_requests_total}, {@code istio_request_duration_milliseconds},
 * {@code istio_request_bytes}, {@code istio_response_bytes}; plus meshlog's own counters. Label
 * values are bounded (services, workloads, codes, flags; never paths or ids). Meters are cached per
 * label combination, so a request costs a map lookup and four updates.
 */
public final class ProxyMetrics {
    static final String REQUESTS = "istio.requests";
    static final String REQUEST_DURATION = "istio.request.duration";
    static final String REQUEST_BYTES = "istio.request.bytes";
    static final String RESPONSE_BYTES = "istio.response.bytes";
    static final String TELEMETRY_DROPPED = "meshlog.proxy.telemetry.dropped";
    static final String DOWNSTREAM_RESETS = "meshlog.proxy.downstream.resets";
    static final String OBSERVE_WOULD = "meshlog.proxy.observe.would";
    static final String RATE_LIMITED_SHADOW = "meshlog.proxy.ratelimit.shadow.limited";
    static final String GLOBAL_REQUESTS = "meshlog.proxy.ratelimit.global.requests";
    static final String GLOBAL_SHARE = "meshlog.proxy.ratelimit.global.share";
    static final String GLOBAL_UNAVAILABLE = "meshlog.proxy.ratelimit.global.unavailable";
    static final String GLOBAL_FAILURE_MODE_REQUESTS = "meshlog.proxy.ratelimit.global.failure.mode.requests";
    static final String HTTP_REJECTED = "meshlog.proxy.http.rejected";
    static final String INTERNAL_ERRORS = "meshlog.proxy.internal.errors";
    static final String EVENT_LOOP_REQUESTS = "meshlog.proxy.event.loop.requests";
    static final String RETRY_BUFFER_OVERFLOW = "meshlog.proxy.retry.buffer.overflow";
    static final String MIRROR_SHADOWS = "meshlog.proxy.mirror.shadows";
    static final String MIRROR_DROPPED = "meshlog.proxy.mirror.dropped";
    static final String MIRROR_IN_FLIGHT = "meshlog.proxy.mirror.in.flight";
    /** Istio's default duration buckets, milliseconds. */
    static final double[] DURATION_BUCKETS = {0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000};
    /** Istio's byte-size buckets. */
    static final double[] BYTES_BUCKETS = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};

    private final MeterRegistry registry;
    private final String workload;
    /** Meters per Telemetry metrics policy, then per label combination; few policies are ever in force. */
    private final Map<MetricsPolicy, Map<Key, Meters>> meters = new ConcurrentHashMap<>();
    private final Counter downstreamResets;
    private final Counter shadowLimited;
    private final java.util.Map<io.meshlog.schemas.v1.WouldHave, Counter> wouldHave =
            new java.util.EnumMap<>(io.meshlog.schemas.v1.WouldHave.class);
    private final Counter retryBufferOverflow;
    private final Map<MirrorOutcome, Counter> mirrorShadows = new java.util.EnumMap<>(MirrorOutcome.class);
    private final Map<MirrorDrop, Counter> mirrorDropped = new java.util.EnumMap<>(MirrorDrop.class);

    /** How a mirrored copy ended. */
    public enum MirrorOutcome {
        /** Its whole response was read. */
        COMPLETED,
        /** No response, or it broke off (connect failure, overflow, no endpoint, reset). */
        FAILED,
        /** Past the shadow timeout: reset. */
        TIMED_OUT
    }

    /** Why a request that the route mirrors was not copied. */
    public enum MirrorDrop {
        /** The proxy's bound of shadows in flight was reached (a slow mirror destination). */
        IN_FLIGHT_LIMIT,
        /** The body outgrew the retry buffer limit, so no whole copy exists (Envoy's rule). */
        BODY_TOO_LARGE
    }

    /**
     * One request's label values: Istio's whole standard label set.
     *
     * @param reporter {@code source} (outbound) or {@code destination} (inbound)
     * @param source the calling workload ({@code source_workload}, {@code _namespace}, {@code _app},
     *     {@code _version}, {@code _canonical_service}, {@code _canonical_revision}, {@code source_cluster})
     * @param sourcePrincipal the caller's SPIFFE id, or {@code unknown}
     * @param destination the called workload (the {@code destination_*} counterparts)
     * @param destinationPrincipal the called workload's SPIFFE id, or {@code unknown}
     * @param destinationService {@code name.namespace.svc.cluster.local}
     * @param destinationServiceName the service's short name
     * @param destinationServiceNamespace the service's namespace
     * @param requestProtocol {@code http} or {@code grpc}
     * @param responseCode the HTTP status
     * @param grpcResponseStatus the gRPC status, empty for plain HTTP
     * @param responseFlags Envoy-style flags, {@code -} for none
     * @param connectionSecurityPolicy {@code mutual_tls}, {@code none} (inbound plaintext) or {@code unknown}
     */
    public record Key(String reporter, WorkloadMetadata source, String sourcePrincipal, WorkloadMetadata destination,
            String destinationPrincipal, String destinationService, String destinationServiceName,
            String destinationServiceNamespace, String requestProtocol, int responseCode, String grpcResponseStatus,
            String responseFlags, String connectionSecurityPolicy) {}

    private static final int MAX_POLICIES = 16;

    /** A request's four meters; null where a Telemetry policy disabled the metric. */
    private record Meters(Counter requests, DistributionSummary duration, DistributionSummary requestBytes,
            DistributionSummary responseBytes) {}

    /**
     * @param registry where meters go (a Prometheus registry in the proxy, a simple one in tests)
     * @param workload this proxy's workload (source_workload of outbound requests)
     */
    /** Prometheus: meshlog_proxy_process_cpu_seconds_total. */
    static final String PROCESS_CPU = "meshlog.proxy.process.cpu";
    /** Prometheus: meshlog_proxy_process_resident_memory_bytes. */
    static final String PROCESS_RESIDENT_MEMORY = "meshlog.proxy.process.resident.memory";

    public ProxyMetrics(MeterRegistry registry, String workload) {
        this.registry = registry;
        this.workload = workload;
        downstreamResets = Counter.builder(DOWNSTREAM_RESETS)
                .description("Requests whose client went away before the response was complete").register(registry);
        shadowLimited = Counter.builder(RATE_LIMITED_SHADOW)
                .description("Requests a shadow-mode rate limit would have limited").register(registry);
        for (var decision : io.meshlog.schemas.v1.WouldHave.values()) {
            if (decision != io.meshlog.schemas.v1.WouldHave.UNKNOWN) {
                // every decision registered up front, so a dashboard sees 0 rather than no series
                wouldHave.put(decision, Counter.builder(OBSERVE_WOULD)
                        .tag("decision", decision.name().toLowerCase(java.util.Locale.ROOT))
                        .description("Requests an OBSERVE-mode sidecar let through that enforcement would have "
                                + "ejected, retried, rate limited, overflowed, denied or refused (plaintext under STRICT)")
                        .register(registry));
            }
        }
        retryBufferOverflow = Counter.builder(RETRY_BUFFER_OVERFLOW)
                .description("Requests whose body outgrew the retry buffer: streamed and tried once").register(registry);
        FunctionCounter.builder(PROCESS_CPU, ProcessFootprint.class, c -> ProcessFootprint.cpuSeconds()).baseUnit("seconds")
                .description("CPU time the proxy's process has used (the JVM's, shared by proxies in one JVM)")
                .register(registry);
        Gauge.builder(PROCESS_RESIDENT_MEMORY, ProcessFootprint::residentBytes).baseUnit("bytes")
                .description("Resident memory of the proxy's process (VmRSS of /proc/self/status)").register(registry);
        for (var outcome : MirrorOutcome.values()) {
            mirrorShadows.put(outcome, Counter.builder(MIRROR_SHADOWS).tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Mirrored copies sent, by how they ended").register(registry));
        }
        for (var reason : MirrorDrop.values()) {
            mirrorDropped.put(reason, Counter.builder(MIRROR_DROPPED).tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Requests a route mirrors that were not copied").register(registry));
        }
    }

    /** A shadow ended. */
    public void mirrorShadow(MirrorOutcome outcome) {
        mirrorShadows.get(outcome).increment();
    }

    /** A copy was not made. */
    public void mirrorDropped(MirrorDrop reason) {
        mirrorDropped.get(reason).increment();
    }

    /** Exposes the shadows in flight read from {@code source}. */
    public <T> void bindMirrorInFlight(T source, ToDoubleFunction<T> inFlight) {
        Gauge.builder(MIRROR_IN_FLIGHT, source, inFlight).description("Mirrored copies in flight").register(registry);
    }

    public String workload() {
        return workload;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Records one finished request with every metric on and Istio's standard labels. */
    public void request(Key key, double durationMillis, long requestBytes, long responseBytes) {
        request(key, MetricsPolicy.DEFAULT, durationMillis, requestBytes, responseBytes);
    }

    /**
     * Records one finished request as the Telemetry policies in force say: a disabled metric is not
     * recorded (nor registered), a removed label is left out, an upserted one set.
     */
    public void request(Key key, MetricsPolicy policy, double durationMillis, long requestBytes, long responseBytes) {
        var byKey = meters.get(policy);
        if (byKey == null) {
            if (meters.size() >= MAX_POLICIES) {
                meters.clear(); // only the cache: the meters stay registered and are found again
            }
            byKey = meters.computeIfAbsent(policy, p -> new ConcurrentHashMap<>());
        }
        var m = byKey.get(key);
        if (m == null) {
            m = byKey.computeIfAbsent(key, k -> create(k, policy));
        }
        if (m.requests() != null) {
            m.requests().increment();
        }
        if (m.duration() != null) {
            m.duration().record(durationMillis);
        }
        if (m.requestBytes() != null) {
            m.requestBytes().record(requestBytes);
        }
        if (m.responseBytes() != null) {
            m.responseBytes().record(responseBytes);
        }
    }

    public void downstreamReset() {
        downstreamResets.increment();
    }

    /** A request let through in OBSERVE mode that enforcement would have treated as {@code decision}. */
    public void wouldHave(io.meshlog.schemas.v1.WouldHave decision) {
        var counter = wouldHave.get(decision);
        if (counter != null) {
            counter.increment();
        }
    }

    public void shadowLimited() {
        shadowLimited.increment();
    }

    /** A retriable request whose body outgrew the retry buffer, so it gave up its retries. */
    public void retryBufferOverflow() {
        retryBufferOverflow.increment();
    }

    /** Exposes a counter read from {@code source} (e.g. the telemetry sink's drop count). */
    public <T> void bindTelemetryDrops(T source, ToDoubleFunction<T> dropped) {
        FunctionCounter.builder(TELEMETRY_DROPPED, source, dropped)
                .description("Telemetry events dropped because the bounded buffer was full").register(registry);
    }

    /**
     * Exposes one global limit's share, its admitted and limited requests, whether its failure mode
     * applies (Hazelcast unreachable) and how many requests that mode decided. A limiter replaced
     * by a changed policy takes over its predecessor's meters.
     */
    public void bindGlobalRateLimit(GlobalRateLimiter limiter) {
        var policy = Tag.of("policy", limiter.key());
        for (var name : List.of(GLOBAL_REQUESTS, GLOBAL_SHARE, GLOBAL_UNAVAILABLE, GLOBAL_FAILURE_MODE_REQUESTS)) {
            registry.find(name).tags(List.of(policy)).meters().forEach(registry::remove);
        }
        var mode = Tag.of("failure_mode", limiter.spec().failureMode().name());
        FunctionCounter.builder(GLOBAL_REQUESTS, limiter, GlobalRateLimiter::admitted).tags(Tags.of(policy).and("decision", "admitted"))
                .description("Requests a global rate limit let through").register(registry);
        FunctionCounter.builder(GLOBAL_REQUESTS, limiter, GlobalRateLimiter::limited).tags(Tags.of(policy).and("decision", "limited"))
                .description("Requests a global rate limit limited (or only counted, in shadow mode)").register(registry);
        Gauge.builder(GLOBAL_SHARE, limiter, GlobalRateLimiter::share).tags(Tags.of(policy)).baseUnit("requests.per.second")
                .description("This proxy's share of the global limit").register(registry);
        Gauge.builder(GLOBAL_UNAVAILABLE, limiter, l -> l.unavailable() ? 1 : 0).tags(Tags.of(policy, mode))
                .description("1 while the shared counters are unreachable and the failure mode decides").register(registry);
        FunctionCounter.builder(GLOBAL_FAILURE_MODE_REQUESTS, limiter, GlobalRateLimiter::failureModeDecisions)
                .tags(Tags.of(policy, mode)).description("Requests decided by the failure mode").register(registry);
    }

    private Meters create(Key key, MetricsPolicy policy) {
        var source = key.source();
        var destination = key.destination();
        var tags = Tags.of("reporter", key.reporter(), "source_workload", source.workload(),
                "source_workload_namespace", source.namespace(), "source_principal", key.sourcePrincipal(),
                "source_app", source.app(), "source_version", source.version(),
                "source_canonical_service", source.canonicalService(),
                "source_canonical_revision", source.canonicalRevision(), "source_cluster", source.cluster())
                .and("destination_workload", destination.workload(),
                        "destination_workload_namespace", destination.namespace(),
                        "destination_principal", key.destinationPrincipal(), "destination_app", destination.app(),
                        "destination_version", destination.version(), "destination_service", key.destinationService(),
                        "destination_service_name", key.destinationServiceName(),
                        "destination_service_namespace", key.destinationServiceNamespace(),
                        "destination_canonical_service", destination.canonicalService(),
                        "destination_canonical_revision", destination.canonicalRevision(),
                        "destination_cluster", destination.cluster())
                .and("request_protocol", key.requestProtocol(), "response_code", Integer.toString(key.responseCode()),
                        "grpc_response_status", key.grpcResponseStatus(), "response_flags", key.responseFlags(),
                        "connection_security_policy", key.connectionSecurityPolicy());
        boolean client = "source".equals(key.reporter());
        var count = policy.rule(client, RequestMetric.REQUEST_COUNT);
        var duration = policy.rule(client, RequestMetric.REQUEST_DURATION);
        var requestSize = policy.rule(client, RequestMetric.REQUEST_SIZE);
        var responseSize = policy.rule(client, RequestMetric.RESPONSE_SIZE);
        return new Meters(
                count.disabled() ? null : Counter.builder(REQUESTS)
                        .description("Requests handled by this proxy, Istio-compatible labels")
                        .tags(count.apply(tags)).register(registry),
                duration.disabled() ? null : DistributionSummary.builder(REQUEST_DURATION).baseUnit("milliseconds")
                        .tags(duration.apply(tags)).description("Request duration")
                        .serviceLevelObjectives(DURATION_BUCKETS).register(registry),
                requestSize.disabled() ? null : DistributionSummary.builder(REQUEST_BYTES).baseUnit("bytes")
                        .tags(requestSize.apply(tags)).description("Request body size")
                        .serviceLevelObjectives(BYTES_BUCKETS).register(registry),
                responseSize.disabled() ? null : DistributionSummary.builder(RESPONSE_BYTES).baseUnit("bytes")
                        .tags(responseSize.apply(tags)).description("Response body size")
                        .serviceLevelObjectives(BYTES_BUCKETS).register(registry));
    }

    /** A request a listener refused before routing (HTTP/1.1 syntax, framing or limits). */
    public void httpRejected(String listener, String reason, int status) {
        Counter.builder(HTTP_REJECTED).description("Requests refused by a listener before routing, flag DPE")
                .tags("listener", listener, "reason", reason, "response_code", Integer.toString(status))
                .register(registry).increment();
    }

    /** A request the safety net ended with 500 IE (a failure of the proxy's own code). */
    public void internalError(String listener) {
        Counter.builder(INTERNAL_ERRORS).description("Requests ended by the safety net: a failure inside the proxy")
                .tags("listener", listener).register(registry).increment();
    }

    /** The counter of requests one event loop's listener received (how evenly the loops share work). */
    public Counter eventLoopRequests(int loop, String listener) {
        return Counter.builder(EVENT_LOOP_REQUESTS).description("Requests received, per event loop and listener")
                .tags("loop", Integer.toString(loop), "listener", listener).register(registry);
    }
}
