package io.meshlog.console;

import io.meshlog.schemas.v1.AlertSeverity;
import io.meshlog.schemas.v1.AlertState;
import io.meshlog.schemas.v1.BurnRateAlert;
import io.meshlog.schemas.v1.ConfigAck;
import io.meshlog.schemas.v1.Decision;
import io.meshlog.schemas.v1.Destination;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.EdgeMetrics;
import io.meshlog.schemas.v1.Ejection;
import io.meshlog.schemas.v1.EjectionReason;
import io.meshlog.schemas.v1.HttpRoute;
import io.meshlog.schemas.v1.HttpRouteDestination;
import io.meshlog.schemas.v1.OutlierDetection;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.ResponseFlag;
import io.meshlog.schemas.v1.ServiceLevelObjectiveSpec;
import io.meshlog.schemas.v1.TrafficPolicy;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Events as the mesh's producers write them, for the console's tests and bench. */
public final class ConsoleEvents {
    /** The pipeline's edge window length. */
    public static final Duration WINDOW = Duration.ofSeconds(10);

    private ConsoleEvents() {}

    /** One edge window ending at {@code end}. */
    public static EdgeMetrics edge(String source, String destination, Instant end, long requests, long errors5xx,
            double p95) {
        return EdgeMetrics.newBuilder().setSource(source).setDestination(destination)
                .setWindowStart(end.minus(WINDOW)).setWindowEnd(end).setRequests(requests).setErrors4xx(0)
                .setErrors5xx(errors5xx).setRetries(0).setRequestBytes(0).setResponseBytes(0)
                .setP50Millis(p95 / 2).setP95Millis(p95).setP99Millis(p95 * 1.5).build();
    }

    /** A SOURCE report of a call from {@code source} to {@code workload} of {@code service}. */
    public static RequestTelemetry request(String source, String namespace, String service, String workload,
            String subset, String endpoint, int status, List<ResponseFlag> flags, long micros, Instant at) {
        return RequestTelemetry.newBuilder().setTraceId("t-" + at.toEpochMilli()).setSpanId("s").setRequestId("r")
                .setProxyId(source).setReporter(Reporter.SOURCE).setSourceWorkload(source)
                .setSourceNamespace(namespace).setDestinationService(service).setDestinationWorkload(workload)
                .setDestinationSubset(subset).setDestinationEndpoint(endpoint).setRoute("default").setMethod("GET")
                .setPath("/" + service + "/items").setStatus(status).setResponseFlags(flags).setDurationMicros(micros).setMtls(true).setEventTime(at)
                .build();
    }

    public static Decision ejection(String service, String endpoint, boolean ejected, Instant at) {
        return Decision.newBuilder().setPayload(Ejection.newBuilder().setService(service).setEndpoint(endpoint)
                .setEjected(ejected).setReason(ejected ? EjectionReason.CONSECUTIVE_5XX : EjectionReason.EJECTION_EXPIRED)
                .setEjectionCount(1).setUntil(at.plusSeconds(30)).setDecidedAt(at).setDetail("5 consecutive 5xx")
                .build()).build();
    }

    /** One proxy's own ejection, as it reports it on the decisions topic. */
    public static Decision localEjection(String proxyId, String service, String endpoint, Instant at) {
        var decision = ejection(service, endpoint, true, at);
        var ejection = (Ejection) decision.getPayload();
        ejection.setScope(io.meshlog.schemas.v1.EjectionScope.LOCAL);
        ejection.setProxyId(proxyId);
        ejection.setReason(EjectionReason.CONSECUTIVE_GATEWAY_ERRORS);
        ejection.setDetail("5 consecutive gateway errors");
        return decision;
    }

    public static BurnRateAlert alert(String namespace, String slo, String service, AlertState state, Instant at) {
        return BurnRateAlert.newBuilder().setSloNamespace(namespace).setSloName(slo).setService(service)
                .setSeverity(AlertSeverity.PAGE).setState(state).setLongWindowMillis(3_600_000)
                .setShortWindowMillis(300_000).setLongBurnRate(21.7).setShortBurnRate(21.7).setThreshold(14.4)
                .setTarget(99.9).setErrorBudgetRemaining(0.97).setEventTime(at).build();
    }

    public static ConfigAck ack(String proxyId, String workload, String namespace, Map<String, Long> generations) {
        return ConfigAck.newBuilder().setProxyId(proxyId).setWorkload(workload).setNamespace(namespace)
                .setSnapshotVersion(1).setGenerations(generations).setAppliedAt(Instant.EPOCH).build();
    }

    public static PolicyEvent policy(PolicyKind kind, String namespace, String name, long generation, Object spec) {
        return PolicyEvent.newBuilder().setKind(kind).setNamespace(namespace).setName(name).setGeneration(generation)
                .setAuthor("test").setTime(Instant.EPOCH).setSpec(spec).build();
    }

    /** A DestinationRule that may eject every endpoint (analyze's ML0105). */
    public static PolicyEvent ejectAllRule(String namespace, String host) {
        var od = OutlierDetection.newBuilder().setMaxEjectionPercent(100).build();
        return policy(PolicyKind.DestinationRule, namespace, host, 1, DestinationRuleSpec.newBuilder().setHost(host)
                .setTrafficPolicy(TrafficPolicy.newBuilder().setOutlierDetection(od).build()).build());
    }

    public static PolicyEvent slo(String namespace, String name, String service) {
        return policy(PolicyKind.ServiceLevelObjective, namespace, name, 2,
                ServiceLevelObjectiveSpec.newBuilder().setService(service).setTarget(99.9).build());
    }

    /** A VirtualService splitting {@code host} between subsets v1 and v2 by weight. */
    public static PolicyEvent split(String namespace, String host, int v1, int v2) {
        var route = HttpRoute.newBuilder().setRoute(List.of(
                HttpRouteDestination.newBuilder().setDestination(Destination.newBuilder().setHost(host).setSubset("v1").build())
                        .setWeight(v1).build(),
                HttpRouteDestination.newBuilder().setDestination(Destination.newBuilder().setHost(host).setSubset("v2").build())
                        .setWeight(v2).build())).build();
        return policy(PolicyKind.VirtualService, namespace, host, 3,
                VirtualServiceSpec.newBuilder().setHosts(List.of(host)).setHttp(List.of(route)).build());
    }
}
