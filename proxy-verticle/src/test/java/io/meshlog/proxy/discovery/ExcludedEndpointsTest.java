package io.meshlog.proxy.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.schemas.v1.ExcludedWorkloadSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ExcludedEndpointsTest {
    private static final Endpoint SIDECAR = new Endpoint("billing", "127.0.0.1", 7001, Map.of("app", "billing"),
            "billing-v2", "spiffe://cluster.local/ns/shop/sa/billing");
    private static final Endpoint ORDERS = new Endpoint("orders", "127.0.0.1", 7002, Map.of(), "orders-v1",
            "spiffe://cluster.local/ns/shop/sa/orders");

    private final EndpointDirectory registry = new EndpointDirectory() {
        @Override
        public List<Endpoint> endpoints(String service) {
            return service.equals("billing") ? List.of(SIDECAR) : service.equals("orders") ? List.of(ORDERS) : List.of();
        }

        @Override
        public Set<String> services() {
            return Set.of("billing", "orders");
        }

        @Override
        public void onChange(Consumer<String> listener) {}
    };

    @Test
    void anExcludedServiceIsServedAtItsDeclaredEndpointsAndEveryEndpointOfItInPlaintext() {
        var directory = new ExcludedEndpoints(registry);
        var changed = new ArrayList<String>();
        directory.onChange(changed::add);

        directory.update(List.of(legacy("billing", "127.0.0.1:9400")));

        assertThat(directory.endpoints("billing")).extracting(Endpoint::address, Endpoint::spiffeId, Endpoint::workload)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("127.0.0.1:9400", "", "legacy-billing"),
                        org.assertj.core.groups.Tuple.tuple("127.0.0.1:7001", "", "billing-v2"));
        assertThat(directory.endpoints("orders")).containsExactly(ORDERS);
        assertThat(changed).containsExactly("billing");
    }

    @Test
    void deletingTheExclusionGivesTheServiceBackToTheRegistry() {
        var directory = new ExcludedEndpoints(registry);
        directory.update(List.of(legacy("billing", "127.0.0.1:9400")));
        var changed = new ArrayList<String>();
        directory.onChange(changed::add);

        directory.update(List.of());

        assertThat(directory.endpoints("billing")).containsExactly(SIDECAR);
        assertThat(changed).containsExactly("billing");
    }

    private static ExcludedWorkloadSpec legacy(String service, String endpoint) {
        return ExcludedWorkloadSpec.newBuilder().setWorkload("legacy-billing").setServices(List.of(service))
                .setEndpoints(List.of(endpoint)).setOwner("billing-team").setReason("vendor binary")
                .setSince("2026-01-15").setReviewDate("2099-01-01").build();
    }
}
