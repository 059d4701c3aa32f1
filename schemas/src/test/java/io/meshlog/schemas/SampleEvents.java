package io.meshlog.schemas;

import io.meshlog.schemas.v1.AlertSeverity;
import io.meshlog.schemas.v1.AlertState;
import io.meshlog.schemas.v1.AnchorRole;
import io.meshlog.schemas.v1.BurnRateAlert;
import io.meshlog.schemas.v1.CertificateRejected;
import io.meshlog.schemas.v1.CertificateRequest;
import io.meshlog.schemas.v1.ConfigAck;
import io.meshlog.schemas.v1.DeadLetter;
import io.meshlog.schemas.v1.Decision;
import io.meshlog.schemas.v1.Destination;
import io.meshlog.schemas.v1.EdgeMetrics;
import io.meshlog.schemas.v1.Ejection;
import io.meshlog.schemas.v1.EjectionReason;
import io.meshlog.schemas.v1.HttpMatchRequest;
import io.meshlog.schemas.v1.HttpRetry;
import io.meshlog.schemas.v1.HttpRoute;
import io.meshlog.schemas.v1.HttpRouteDestination;
import io.meshlog.schemas.v1.IssuedCertificate;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import io.meshlog.schemas.v1.RejectionReason;
import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.ResponseFlag;
import io.meshlog.schemas.v1.RetryBudgetState;
import io.meshlog.schemas.v1.StringMatch;
import io.meshlog.schemas.v1.TrustAnchor;
import io.meshlog.schemas.v1.TrustBundle;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One realistic record of every event type. */
public final class SampleEvents {
    static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    private SampleEvents() {}

    public static List<SpecificRecord> all() {
        return List.of(policyEvent(), certificateRequest(), issuedCertificate(),
                certificateRejected(), trustBundle(), requestTelemetry(), ejection(),
                retryBudgetState(), burnRateAlert(), edgeMetrics(), configAck(), deadLetter(), shadowComparison());
    }

    public static PolicyEvent policyEvent() {
        var canary = HttpRoute.newBuilder()
                .setName("canary")
                .setMatch(List.of(HttpMatchRequest.newBuilder()
                        .setHeaders(Map.of("x-canary-user", StringMatch.newBuilder().setExact("true").build()))
                        .build()))
                .setRoute(List.of(HttpRouteDestination.newBuilder()
                        .setDestination(Destination.newBuilder().setHost("orders").setSubset("v2").build())
                        .setWeight(100).build()))
                .setTimeout(2000L)
                .setRetries(HttpRetry.newBuilder().setAttempts(3).setPerTryTimeout(500L)
                        .setRetryOn(List.of("5xx", "connect-failure")).build())
                .build();
        return PolicyEvent.newBuilder()
                .setKind(PolicyKind.VirtualService).setNamespace("shop").setName("orders")
                .setLabels(Map.of("team", "checkout")).setGeneration(3).setAuthor("alice")
                .setTime(T)
                .setSpec(VirtualServiceSpec.newBuilder().setHosts(List.of("orders")).setHttp(List.of(canary)).build())
                .build();
    }

    public static CertificateRequest certificateRequest() {
        return CertificateRequest.newBuilder().setRequestId("r-1").setProxyId("orders-0")
                .setSpiffeId("spiffe://meshlog.local/ns/shop/sa/orders")
                .setCsrPem("-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n")
                .setJoinTokenClaims("eyJ0").setJoinTokenProof("cHJvb2Y").setRequestedAt(T).build();
    }

    public static IssuedCertificate issuedCertificate() {
        return IssuedCertificate.newBuilder().setRequestId("r-1").setProxyId("orders-0")
                .setSpiffeId("spiffe://meshlog.local/ns/shop/sa/orders")
                .setChainPem("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
                .setSerial("0a1b").setNotBefore(T).setNotAfter(T.plusSeconds(86400)).setIssuedAt(T).build();
    }

    public static CertificateRejected certificateRejected() {
        return CertificateRejected.newBuilder().setRequestId("r-2").setProxyId("evil-0")
                .setSpiffeId("spiffe://meshlog.local/ns/shop/sa/payments")
                .setReason(RejectionReason.SAN_MISMATCH)
                .setMessage("CSR asks for .../sa/payments but the token grants .../sa/orders")
                .setRejectedAt(T).build();
    }

    public static TrustBundle trustBundle() {
        return TrustBundle.newBuilder().setTrustDomain("meshlog.local")
                .setAnchors(List.of(TrustAnchor.newBuilder()
                        .setCertificatePem("-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n")
                        .setSha256Fingerprint("ab:cd").setRole(AnchorRole.CURRENT).build()))
                .setRevokedSerials(List.of("0bad")).setVersion(1).setUpdatedAt(T).build();
    }

    public static RequestTelemetry requestTelemetry() {
        return RequestTelemetry.newBuilder()
                .setTraceId("4bf92f3577b34da6a3ce929d0e0e4736").setSpanId("00f067aa0ba902b7")
                .setRequestId("req-1").setProxyId("api-gateway-0").setReporter(Reporter.SOURCE)
                .setSourcePrincipal("spiffe://meshlog.local/ns/shop/sa/api-gateway")
                .setSourceWorkload("api-gateway").setSourceNamespace("shop")
                .setDestinationService("orders").setDestinationWorkload("orders-v1")
                .setDestinationSubset("v1").setDestinationEndpoint("127.0.0.1:8081")
                .setRoute("default").setMethod("GET").setStatus(503)
                .setResponseFlags(List.of(ResponseFlag.URX))
                .setDurationMicros(12_000).setPoolWaitMicros(100).setConnectMicros(300)
                .setTlsHandshakeMicros(900).setUpstreamMicros(10_000).setAttempt(2).setRetry(true)
                .setRetrySuppressed(true).setRequestBytes(120).setResponseBytes(512).setMtls(true)
                .setEventTime(T).setPath("/orders/42").setPrimaryBodyHash("0a1b2c3d").setShadowStatus(200)
                .setShadowDurationMicros(15_000L).setShadowBodyHash("4e5f6a7b").setShadowResponseFlags(List.of()).build();
    }

    public static io.meshlog.schemas.v1.ShadowComparison shadowComparison() {
        return io.meshlog.schemas.v1.ShadowComparison.newBuilder().setService("orders").setRoute("default")
                .setWindowStart(T).setWindowEnd(T.plusSeconds(10)).setRequests(20).setStatusMismatches(4)
                .setBodiesCompared(16).setBodyMismatches(4).setPrimaryDurationMicros(200_000)
                .setShadowDurationMicros(260_000).build();
    }

    public static Decision ejection() {
        return Decision.newBuilder().setPayload(Ejection.newBuilder().setService("inventory")
                .setEndpoint("127.0.0.1:8083").setEjected(true)
                .setReason(EjectionReason.CONSECUTIVE_5XX).setEjectionCount(1)
                .setUntil(T.plusSeconds(30)).setDecidedAt(T).setDetail("5 consecutive 5xx").build()).build();
    }

    public static Decision retryBudgetState() {
        return Decision.newBuilder().setPayload(RetryBudgetState.newBuilder().setService("inventory")
                .setTtlMillis(10_000).setOriginalRequests(1000).setRetries(300).setAllowedRetries(300)
                .setRemaining(0).setExhausted(true).setDecidedAt(T).build()).build();
    }

    public static BurnRateAlert burnRateAlert() {
        return BurnRateAlert.newBuilder().setSloNamespace("shop").setSloName("orders-availability")
                .setService("orders").setSeverity(AlertSeverity.PAGE).setState(AlertState.FIRING)
                .setLongWindowMillis(3_600_000).setShortWindowMillis(300_000).setLongBurnRate(20.0)
                .setShortBurnRate(30.0).setThreshold(14.4).setTarget(99.9).setErrorBudgetRemaining(0.8)
                .setEventTime(T).build();
    }

    public static EdgeMetrics edgeMetrics() {
        return EdgeMetrics.newBuilder().setSource("api-gateway").setDestination("orders")
                .setWindowStart(T).setWindowEnd(T.plusSeconds(10)).setRequests(1000).setErrors4xx(3)
                .setErrors5xx(7).setRetries(5).setRequestBytes(100_000).setResponseBytes(400_000)
                .setP50Millis(4.2).setP95Millis(18.5).setP99Millis(40.1)
                .setLatencyHistogram(ByteBuffer.wrap(new byte[] {1, 2, 3})).build();
    }

    public static ConfigAck configAck() {
        return ConfigAck.newBuilder().setProxyId("orders-0").setWorkload("orders").setNamespace("shop")
                .setSnapshotVersion(7).setGenerations(Map.of("VirtualService/shop/orders", 3L))
                .setAppliedAt(T).build();
    }

    public static DeadLetter deadLetter() {
        return DeadLetter.newBuilder().setSourceTopic("mesh.telemetry.requests.v1").setSourcePartition(2)
                .setSourceOffset(42).setValue(ByteBuffer.wrap(new byte[] {0x00, 0x01}))
                .setReason("not an Avro single-object record").setSchemaFingerprint(null)
                .setProcessor("outlier-ejection").setFailedAt(T).build();
    }
}
