package io.meshlog.proxy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerMetadataHeaderTest {
    private final PeerMetadataHeader header = new PeerMetadataHeader();

    @Test
    void whatOneSidecarEncodesTheOtherDecodes() {
        var self = WorkloadMetadata.of("reviews-v2", "bookinfo", Map.of("app", "reviews", "version", "v2"));

        assertThat(header.decode(PeerMetadataHeader.encode(self))).isEqualTo(self);
    }

    @Test
    void workloadLabelsBecomeIstiosCanonicalNamesWithIstiosFallbacks() {
        assertThat(WorkloadMetadata.of("reviews-v2", "bookinfo", Map.of("app", "reviews", "version", "v2")))
                .isEqualTo(new WorkloadMetadata("reviews-v2", "bookinfo", "reviews", "v2", "reviews", "v2", "Kubernetes"));
        assertThat(WorkloadMetadata.of("batch", "jobs", Map.of()))
                .isEqualTo(new WorkloadMetadata("batch", "jobs", "unknown", "unknown", "batch", "latest", "Kubernetes"));
        assertThat(WorkloadMetadata.of("x", "ns", Map.of("app", "a", "service.istio.io/canonical-name", "canon",
                "service.istio.io/canonical-revision", "r7", "topology.istio.io/cluster", "east")))
                .isEqualTo(new WorkloadMetadata("x", "ns", "a", "unknown", "canon", "r7", "east"));
    }

    @Test
    void malformedOrOversizedValuesAreNoMetadata() {
        assertThat(header.decode(null)).isNull();
        assertThat(header.decode("namespace=shop")).as("no workload").isNull();
        assertThat(header.decode("workload=a b;namespace=shop")).as("not a label value").isNull();
        assertThat(header.decode("workload=" + "w".repeat(64) + ";namespace=shop")).as("longer than 63").isNull();
        assertThat(header.decode("workload=/etc/passwd;namespace=shop")).isNull();
    }

    @Test
    void acceptsAtMostABoundedNumberOfDistinctPeers() {
        for (int i = 0; i < PeerMetadataHeader.MAX_DISTINCT; i++) {
            assertThat(header.decode("workload=w" + i + ";namespace=shop")).isNotNull();
        }

        assertThat(header.decode("workload=one-too-many;namespace=shop")).isNull();
        assertThat(header.decode("workload=w7;namespace=shop")).as("a known peer still decodes").isNotNull();
    }
}
