package io.meshlog.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.policy.model.MeshScope;
import io.meshlog.schemas.v1.AuthorizationPolicySpec;
import io.meshlog.schemas.v1.IstioEgressListener;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import io.meshlog.schemas.v1.SidecarSpec;
import io.meshlog.schemas.v1.VirtualServiceSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyLogScopeTest {
    private static final String ROOT = MeshScope.DEFAULT_ROOT_NAMESPACE;
    private final PolicyLog log = new PolicyLog(new PolicyScope("shop", Map.of("app", "web"), ROOT));

    private static PolicyEvent in(String namespace, PolicyEvent event) {
        event.setNamespace(namespace);
        return event;
    }

    private static PolicyEvent sidecar(String namespace, String name, String... hosts) {
        return in(namespace, PolicyEvents.event(PolicyKind.Sidecar, name, 1, SidecarSpec.newBuilder()
                .setEgress(List.of(IstioEgressListener.newBuilder().setHosts(List.of(hosts)).build())).build()));
    }

    private static PolicyEvent virtualService(String namespace, String host) {
        return in(namespace, PolicyEvents.event(PolicyKind.VirtualService, host, 1,
                VirtualServiceSpec.newBuilder().setHosts(List.of(host)).setHttp(List.of()).build()));
    }

    private void put(PolicyEvent event) {
        log.put(PolicyState.keyOf(event), event);
    }

    @Test
    void withoutASidecarEveryPolicyIsKept() {
        put(virtualService("ads", "banner"));
        put(virtualService("shop", "reviews"));

        assertThat(log.rescope()).isFalse();
        assertThat(log.snapshot().policies()).hasSize(2);
        assertThat(log.snapshot().scope().unscoped()).isTrue();
    }

    @Test
    void aRootSidecarDropsOtherNamespacesAndSkipsTheirLaterPoliciesWithoutRereading() {
        // Given
        put(virtualService("ads", "banner"));
        put(virtualService("shop", "reviews"));
        put(sidecar(ROOT, "default", "./*"));
        // When
        boolean reread = log.rescope();
        put(virtualService("ads", "video"));
        put(in("ads", PolicyEvents.event(PolicyKind.AuthorizationPolicy, "deny", 1,
                AuthorizationPolicySpec.newBuilder().build())));
        // Then
        assertThat(reread).as("narrowing from unscoped loses nothing that must be read again").isFalse();
        assertThat(log.snapshot().policies().keySet()).containsExactlyInAnyOrder(
                "VirtualService/shop/reviews", "Sidecar/" + ROOT + "/default");
        assertThat(log.snapshot().scope().entries()).containsExactly("shop/*");
    }

    @Test
    void anInScopePolicyMovedOutOfScopeIsDropped() {
        put(sidecar(ROOT, "default", "./reviews"));
        log.rescope();
        put(virtualService("shop", "reviews"));
        var moved = virtualService("shop", "reviews");
        ((VirtualServiceSpec) moved.getSpec()).setHosts(List.of("ratings"));

        put(moved);

        assertThat(log.snapshot().policies()).doesNotContainKey("VirtualService/shop/reviews");
    }

    @Test
    void aWorkloadSidecarThatWidensAScopedViewAsksForTheLogAgain() {
        put(sidecar(ROOT, "default", "./*"));
        log.rescope();
        var own = sidecar("shop", "web", "./*", "ads/*");
        ((SidecarSpec) own.getSpec()).setWorkloadSelector(
                io.meshlog.schemas.v1.WorkloadSelector.newBuilder().setMatchLabels(Map.of("app", "web")).build());
        put(own);

        assertThat(log.rescope()).isTrue();
        assertThat(log.snapshot().scope().allows("ads", "banner")).isTrue();
    }
}
