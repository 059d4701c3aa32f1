package io.meshlog.proxy.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.proxy.policy.PolicyState;
import io.meshlog.schemas.v1.AuthorizationAction;
import io.meshlog.schemas.v1.AuthorizationPolicySpec;
import io.meshlog.schemas.v1.MtlsMode;
import io.meshlog.schemas.v1.PeerAuthenticationSpec;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import io.meshlog.schemas.v1.WorkloadSelector;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PolicyViewTest {
    private static final Map<String, String> ORDERS = Map.of("app", "orders");

    @Test
    void compilesTheModeOfTheAppPortAndOnlyTheAuthorizationPoliciesThatCanApplyOncePerState() {
        var state = new AtomicReference<>(PolicyState.empty());
        var view = new PolicyView(state::get, "meshlog-system", "shop", ORDERS, 8080);
        var before = view.current();

        state.set(state(
                peerAuth("shop", "orders", ORDERS, MtlsMode.PERMISSIVE, Map.of("8080", MtlsMode.STRICT)),
                authz("shop", "for-orders", ORDERS), authz("shop", "for-cart", Map.of("app", "cart")),
                authz("billing", "elsewhere", null), authz("meshlog-system", "mesh-wide", null)));
        var after = view.current();

        assertThat(before.mtls()).as("mesh default").isEqualTo(MtlsMode.PERMISSIVE);
        assertThat(before.authorization()).isEmpty();
        assertThat(after.mtls()).as("port-level mode of the app port").isEqualTo(MtlsMode.STRICT);
        assertThat(after.authorization()).extracting(PolicyEvent::getName)
                .containsExactlyInAnyOrder("for-orders", "mesh-wide");
        assertThat(view.current()).as("same state, same compilation").isSameAs(after);
    }

    @Test
    void identityClaimingHeadersAreStrippedWhateverTheirCase() {
        var headers = MultiMap.caseInsensitiveMultiMap()
                .add("X-Forwarded-Client-Cert", "URI=spiffe://evil").add("x-meshlog-source-principal", "evil")
                .add("Client-Cert", ":abc:").add("x-request-id", "keep");

        io.meshlog.proxy.http.IdentityHeaders.strip(headers);

        assertThat(headers.names()).containsExactly("x-request-id");
    }

    private static PolicyState state(PolicyEvent... events) {
        var map = new HashMap<String, PolicyEvent>();
        for (var event : events) {
            map.put(PolicyState.keyOf(event), event);
        }
        return new PolicyState(map, 2);
    }

    private static PolicyEvent peerAuth(String namespace, String name, Map<String, String> selector, MtlsMode mode,
            Map<String, MtlsMode> ports) {
        return event(PolicyKind.PeerAuthentication, namespace, name,
                new PeerAuthenticationSpec(new WorkloadSelector(selector), mode, ports));
    }

    private static PolicyEvent authz(String namespace, String name, Map<String, String> selector) {
        return event(PolicyKind.AuthorizationPolicy, namespace, name, AuthorizationPolicySpec.newBuilder()
                .setSelector(selector == null ? null : new WorkloadSelector(selector))
                .setAction(AuthorizationAction.ALLOW).setDryRun(false).setRules(List.of()).build());
    }

    private static PolicyEvent event(PolicyKind kind, String namespace, String name, Object spec) {
        return PolicyEvent.newBuilder().setKind(kind).setNamespace(namespace).setName(name).setGeneration(1)
                .setAuthor("test").setTime(Instant.EPOCH).setSpec(spec).build();
    }
}
