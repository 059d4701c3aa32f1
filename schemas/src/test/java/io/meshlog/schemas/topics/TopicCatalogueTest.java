package io.meshlog.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicCatalogueTest {

    @Test
    void namesEveryTopicOfTheArchitectureOnce() {
        var names = TopicCatalogue.standard().all().stream().map(TopicSpec::name).toList();
        assertThat(names).doesNotHaveDuplicates().contains(
                "mesh.policy.v1", "mesh.cert.requests.v1", "mesh.cert.issued.v1", "mesh.trust.v1",
                "mesh.telemetry.requests.v1", "mesh.decisions.v1", "mesh.alerts.v1",
                "mesh.metrics.edges.v1", "mesh.config.acks.v1", "mesh.dlq.v1", "mesh.canary.status.v1",
                "mesh.baselines.v1", "mesh.mirror.comparisons.v1");
    }

    @Test
    void stateTopicsAreCompactedAndKeptForever() {
        var catalogue = TopicCatalogue.standard();
        for (var spec : java.util.List.of(catalogue.policy(), catalogue.certIssued(),
                catalogue.trust(), catalogue.decisions(), catalogue.alerts(), catalogue.configAcks(),
                catalogue.canaryStatus(), catalogue.baselines())) {
            assertThat(spec.configs()).as(spec.name())
                    .containsEntry("cleanup.policy", "compact")
                    .containsEntry("retention.ms", "-1");
        }
        assertThat(catalogue.telemetry().configs()).containsEntry("cleanup.policy", "delete");
    }

    @Test
    void prefixAppliesToEveryName() {
        assertThat(new TopicCatalogue("it3.").all())
                .allSatisfy(spec -> assertThat(spec.name()).startsWith("it3.mesh."));
    }
}
