package io.meshlog.schemas.serde;

import io.meshlog.schemas.v1.BurnRateAlert;
import io.meshlog.schemas.v1.CanaryStatus;
import io.meshlog.schemas.v1.CertificateRejected;
import io.meshlog.schemas.v1.CertificateRequest;
import io.meshlog.schemas.v1.ConfigAck;
import io.meshlog.schemas.v1.DeadLetter;
import io.meshlog.schemas.v1.Decision;
import io.meshlog.schemas.v1.EdgeMetrics;
import io.meshlog.schemas.v1.IssuedCertificate;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.TrustBundle;

/** One serde per event type; each reads every historical version of its schema. */
public final class MeshSerdes {
    private MeshSerdes() {}

    public static AvroSerde<PolicyEvent> policyEvent() {
        return AvroSerde.of(PolicyEvent.class);
    }

    public static AvroSerde<CertificateRequest> certificateRequest() {
        return AvroSerde.of(CertificateRequest.class);
    }

    public static AvroSerde<IssuedCertificate> issuedCertificate() {
        return AvroSerde.of(IssuedCertificate.class);
    }

    public static AvroSerde<CertificateRejected> certificateRejected() {
        return AvroSerde.of(CertificateRejected.class);
    }

    public static AvroSerde<TrustBundle> trustBundle() {
        return AvroSerde.of(TrustBundle.class);
    }

    public static AvroSerde<RequestTelemetry> requestTelemetry() {
        return AvroSerde.of(RequestTelemetry.class);
    }

    public static AvroSerde<Decision> decision() {
        return AvroSerde.of(Decision.class);
    }

    public static AvroSerde<BurnRateAlert> burnRateAlert() {
        return AvroSerde.of(BurnRateAlert.class);
    }

    public static AvroSerde<EdgeMetrics> edgeMetrics() {
        return AvroSerde.of(EdgeMetrics.class);
    }

    public static AvroSerde<ConfigAck> configAck() {
        return AvroSerde.of(ConfigAck.class);
    }

    public static AvroSerde<DeadLetter> deadLetter() {
        return AvroSerde.of(DeadLetter.class);
    }

    public static AvroSerde<io.meshlog.schemas.v1.Baseline> baseline() {
        return AvroSerde.of(io.meshlog.schemas.v1.Baseline.class);
    }

    public static AvroSerde<CanaryStatus> canaryStatus() {
        return AvroSerde.of(CanaryStatus.class);
    }

    public static AvroSerde<io.meshlog.schemas.v1.ShadowComparison> shadowComparison() {
        return AvroSerde.of(io.meshlog.schemas.v1.ShadowComparison.class);
    }
}
