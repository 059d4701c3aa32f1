package io.meshlog.schemas.topics;

import io.meshlog.schemas.v1.Baseline;
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
import io.meshlog.schemas.v1.ShadowComparison;
import io.meshlog.schemas.v1.TrustBundle;
import java.time.Duration;
import java.util.List;

/**
 * Every topic of the mesh. Immutable; services take one in their config so that tests (and
 * several meshes on one cluster) can run under a name prefix.
 *
 * @param prefix the prefix every name carries ("" in production)
 */
public record TopicCatalogue(String prefix) {
    public static final String POLICY = "mesh.policy.v1";
    public static final String CERT_REQUESTS = "mesh.cert.requests.v1";
    public static final String CERT_ISSUED = "mesh.cert.issued.v1";
    public static final String CERT_REJECTED = "mesh.cert.rejected.v1";
    public static final String TRUST = "mesh.trust.v1";
    public static final String TELEMETRY = "mesh.telemetry.requests.v1";
    public static final String DECISIONS = "mesh.decisions.v1";
    public static final String ALERTS = "mesh.alerts.v1";
    public static final String EDGES = "mesh.metrics.edges.v1";
    public static final String CONFIG_ACKS = "mesh.config.acks.v1";
    public static final String DEAD_LETTERS = "mesh.dlq.v1";
    public static final String CANARY_STATUS = "mesh.canary.status.v1";
    public static final String BASELINES = "mesh.baselines.v1";
    public static final String MIRROR_COMPARISONS = "mesh.mirror.comparisons.v1";

    private static final Duration DAY = Duration.ofDays(1);

    public TopicCatalogue {
        prefix = prefix == null ? "" : prefix;
    }

    /** The production catalogue, without prefix. */
    public static TopicCatalogue standard() {
        return new TopicCatalogue("");
    }

    public TopicSpec policy() {
        return spec(POLICY, 1, CleanupPolicy.COMPACT, null, PolicyEvent.class);
    }

    public TopicSpec certRequests() {
        return spec(CERT_REQUESTS, 3, CleanupPolicy.DELETE, DAY, CertificateRequest.class);
    }

    public TopicSpec certIssued() {
        return spec(CERT_ISSUED, 3, CleanupPolicy.COMPACT, null, IssuedCertificate.class);
    }

    public TopicSpec certRejected() {
        return spec(CERT_REJECTED, 3, CleanupPolicy.DELETE, DAY, CertificateRejected.class);
    }

    public TopicSpec trust() {
        return spec(TRUST, 1, CleanupPolicy.COMPACT, null, TrustBundle.class);
    }

    public TopicSpec telemetry() {
        return spec(TELEMETRY, 6, CleanupPolicy.DELETE, DAY, RequestTelemetry.class);
    }

    public TopicSpec decisions() {
        return spec(DECISIONS, 3, CleanupPolicy.COMPACT, null, Decision.class);
    }

    public TopicSpec alerts() {
        return spec(ALERTS, 1, CleanupPolicy.COMPACT, null, BurnRateAlert.class);
    }

    public TopicSpec edges() {
        return spec(EDGES, 3, CleanupPolicy.DELETE, DAY, EdgeMetrics.class);
    }

    public TopicSpec configAcks() {
        return spec(CONFIG_ACKS, 1, CleanupPolicy.COMPACT, null, ConfigAck.class);
    }

    public TopicSpec deadLetters() {
        return spec(DEAD_LETTERS, 1, CleanupPolicy.DELETE, Duration.ofDays(7), DeadLetter.class);
    }

    /** The canary controller's state per Canary (key namespace/name). */
    public TopicSpec canaryStatus() {
        return spec(CANARY_STATUS, 1, CleanupPolicy.COMPACT, null, CanaryStatus.class);
    }

    /** Named baselines of the mesh's figures (meshctl baseline; key: the baseline's name). */
    public TopicSpec baselines() {
        return spec(BASELINES, 1, CleanupPolicy.COMPACT, null, Baseline.class);
    }

    /** Shadow vs primary per route and window (key service/route), from the pipeline's mirror comparison. */
    public TopicSpec mirrorComparisons() {
        return spec(MIRROR_COMPARISONS, 3, CleanupPolicy.DELETE, DAY, ShadowComparison.class);
    }

    /** Every topic, in a stable order. */
    public List<TopicSpec> all() {
        return List.of(policy(), certRequests(), certIssued(), certRejected(), trust(),
                telemetry(), decisions(), alerts(), edges(), configAcks(), deadLetters(), canaryStatus(),
                baselines(),
                mirrorComparisons());
    }

    private TopicSpec spec(
            String name, int partitions, CleanupPolicy cleanup, Duration retention, Class<?> type) {
        return new TopicSpec(prefix + name, partitions, cleanup, retention, type);
    }
}
