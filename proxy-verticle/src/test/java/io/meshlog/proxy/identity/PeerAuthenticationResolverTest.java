package io.meshlog.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.schemas.v1.MtlsMode;
import io.meshlog.schemas.v1.PeerAuthenticationSpec;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import io.meshlog.schemas.v1.WorkloadSelector;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerAuthenticationResolverTest {
    private static final Map<String, String> ORDERS = Map.of("app", "orders");

    private final PeerAuthenticationResolver resolver = new PeerAuthenticationResolver("meshlog-system");

    @Test
    void meshDefaultIsPermissive() {
        assertThat(resolver.resolve(List.of(), "shop", ORDERS, 8080)).isEqualTo(MtlsMode.PERMISSIVE);
    }

    @Test
    void mostSpecificWinsFromMeshToNamespaceToWorkloadToPort() {
        var mesh = policy("meshlog-system", "mesh", null, MtlsMode.STRICT, Map.of());
        var namespace = policy("shop", "ns", null, MtlsMode.DISABLE, Map.of());
        var workload = policy("shop", "orders", ORDERS, MtlsMode.STRICT, Map.of("9090", MtlsMode.PERMISSIVE));

        assertThat(resolver.resolve(List.of(mesh), "shop", ORDERS, 8080)).isEqualTo(MtlsMode.STRICT);
        assertThat(resolver.resolve(List.of(mesh, namespace), "shop", ORDERS, 8080)).isEqualTo(MtlsMode.DISABLE);
        assertThat(resolver.resolve(List.of(mesh, namespace, workload), "shop", ORDERS, 8080))
                .isEqualTo(MtlsMode.STRICT);
        assertThat(resolver.resolve(List.of(mesh, namespace, workload), "shop", ORDERS, 9090))
                .isEqualTo(MtlsMode.PERMISSIVE);
        assertThat(resolver.resolve(List.of(mesh, namespace, workload), "shop", Map.of("app", "cart"), 9090))
                .as("selector does not match another workload").isEqualTo(MtlsMode.DISABLE);
        assertThat(resolver.resolve(List.of(mesh, namespace, workload), "billing", ORDERS, 8080))
                .as("namespace policies stay in their namespace").isEqualTo(MtlsMode.STRICT);
    }

    @Test
    void unsetInheritsFromTheParent() {
        var namespace = policy("shop", "ns", null, MtlsMode.STRICT, Map.of());
        var workload = policy("shop", "orders", ORDERS, MtlsMode.UNSET, Map.of("8080", MtlsMode.UNSET));

        assertThat(resolver.resolve(List.of(namespace, workload), "shop", ORDERS, 8080)).isEqualTo(MtlsMode.STRICT);
    }

    private static PolicyEvent policy(String namespace, String name, Map<String, String> selector,
            MtlsMode mode, Map<String, MtlsMode> ports) {
        var spec = new PeerAuthenticationSpec(selector == null ? null : new WorkloadSelector(selector), mode, ports);
        return PolicyEvent.newBuilder().setKind(PolicyKind.PeerAuthentication).setNamespace(namespace)
                .setName(name).setGeneration(1).setAuthor("test").setTime(Instant.EPOCH).setSpec(spec).build();
    }
}
