package io.meshlog.policy.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.schemas.v1.EnforcementMode;
import io.meshlog.schemas.v1.MeshModeSpec;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import io.meshlog.schemas.v1.WorkloadSelector;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeshModesTest {
    private static final String ROOT = "meshlog-system";
    private static final Map<String, String> CART = Map.of("app", "cart");

    @Test
    void withoutAnyMeshModeSidecarsEnforce() {
        assertThat(MeshModes.resolve(List.of(), ROOT, "shop", CART)).isEqualTo(EnforcementMode.ENFORCE);
    }

    @Test
    void theMeshWideModeAppliesToEveryNamespaceWithoutItsOwn() {
        var policies = List.of(mode(ROOT, "default", null, EnforcementMode.OBSERVE, 1));

        assertThat(MeshModes.resolve(policies, ROOT, "shop", CART)).isEqualTo(EnforcementMode.OBSERVE);
    }

    @Test
    void aNamespaceModeBeatsTheMeshWideOne() {
        var policies = List.of(mode(ROOT, "default", null, EnforcementMode.OBSERVE, 1),
                mode("shop", "default", null, EnforcementMode.ENFORCE, 2));

        assertThat(MeshModes.resolve(policies, ROOT, "shop", CART)).isEqualTo(EnforcementMode.ENFORCE);
        assertThat(MeshModes.namespaceMode(policies, ROOT, "billing")).isEqualTo(EnforcementMode.OBSERVE);
    }

    @Test
    void aWorkloadModeBeatsItsNamespacesAndSelectsOnlyItsOwnNamespace() {
        var policies = List.of(mode("shop", "default", null, EnforcementMode.ENFORCE, 1),
                mode("shop", "cart", CART, EnforcementMode.OBSERVE, 2),
                mode("other", "cart", CART, EnforcementMode.ENFORCE, 3));

        assertThat(MeshModes.resolve(policies, ROOT, "shop", CART)).isEqualTo(EnforcementMode.OBSERVE);
        assertThat(MeshModes.resolve(policies, ROOT, "shop", Map.of("app", "web"))).isEqualTo(EnforcementMode.ENFORCE);
        assertThat(MeshModes.namespaceMode(policies, ROOT, "shop")).isEqualTo(EnforcementMode.ENFORCE);
    }

    @Test
    void amongTwoAtOneLevelTheOldestWins() {
        var policies = List.of(mode("shop", "newer", null, EnforcementMode.ENFORCE, 5),
                mode("shop", "older", null, EnforcementMode.OBSERVE, 1));

        assertThat(MeshModes.namespaceMode(policies, ROOT, "shop")).isEqualTo(EnforcementMode.OBSERVE);
    }

    private static PolicyEvent mode(String namespace, String name, Map<String, String> labels, EnforcementMode mode,
            long time) {
        var selector = labels == null ? null : WorkloadSelector.newBuilder().setMatchLabels(labels).build();
        return PolicyEvent.newBuilder().setKind(PolicyKind.MeshMode).setNamespace(namespace).setName(name)
                .setGeneration(1).setAuthor("t").setTime(Instant.ofEpochMilli(time))
                .setSpec(MeshModeSpec.newBuilder().setSelector(selector).setMode(mode).build()).build();
    }
}
