package io.meshlog.proxy.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two proxies, each with its own embedded Hazelcast member, in one loopback cluster. */
class HazelcastEndpointRegistryIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final DiscoveryConfig SHORT_TTL =
            new DiscoveryConfig("endpoints", Duration.ofSeconds(2), Duration.ofMillis(500));

    private static final Endpoint ORDERS_V1 = new Endpoint("orders", "127.0.0.1", 18081,
            Map.of("version", "v1"), "orders-v1", "spiffe://mesh.local/ns/shop/sa/orders");
    private static final Endpoint PAYMENTS = new Endpoint("payments", "127.0.0.1", 18082,
            Map.of("version", "v1"), "payments-v1", "spiffe://mesh.local/ns/shop/sa/payments");

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private HazelcastInstance memberA;
    private HazelcastInstance memberB;

    @BeforeEach
    void startTwoMembers() throws IOException {
        var cluster = "it-" + UUID.randomUUID();
        int portA = freePort();
        int portB = freePort();
        var members = List.of("127.0.0.1:" + portA, "127.0.0.1:" + portB);
        memberA = Hazelcast.newHazelcastInstance(HazelcastConfigs.member(
                new HazelcastSettings(HazelcastSettings.Mode.EMBEDDED, cluster, members, portA)));
        memberB = Hazelcast.newHazelcastInstance(HazelcastConfigs.member(
                new HazelcastSettings(HazelcastSettings.Mode.EMBEDDED, cluster, members, portB)));
        assertThat(memberB.getCluster().getMembers()).as("both members in one cluster").hasSize(2);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (var closeable : toClose) {
            closeable.close();
        }
        memberA.getLifecycleService().terminate();
        memberB.getLifecycleService().terminate();
    }

    private HazelcastEndpointRegistry registry(HazelcastInstance member, Endpoint self) {
        var registry = new HazelcastEndpointRegistry(member, SHORT_TTL, self);
        toClose.add(registry);
        return registry.start();
    }

    @Test
    void eachProxySeesTheOthersRegistrationAndLosesItWhenTheOtherCloses() {
        var changes = new CopyOnWriteArrayList<String>();
        var proxyB = registry(memberB, PAYMENTS);
        proxyB.onChange(changes::add);

        var proxyA = registry(memberA, ORDERS_V1);

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(proxyB.endpoints("orders")).containsExactly(ORDERS_V1);
            assertThat(proxyA.endpoints("payments")).containsExactly(PAYMENTS);
        });
        assertThat(proxyB.services()).containsExactlyInAnyOrder("orders", "payments");
        assertThat(proxyB.endpoints("orders").get(0).labels()).containsEntry("version", "v1");
        assertThat(changes).contains("orders");

        proxyA.close();

        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(proxyB.endpoints("orders")).isEmpty());
        assertThat(proxyB.services()).containsExactly("payments");
        assertThat(changes).containsSubsequence("orders", "orders");
    }

    @Test
    void aLiveRegistrationOutlivesItsTtlThroughHeartbeats() {
        var watcher = registry(memberB, null);
        registry(memberA, ORDERS_V1);
        await().atMost(TIMEOUT).until(() -> !watcher.endpoints("orders").isEmpty());

        // Two and a half TTLs later the registration is still there: heartbeats renewed it.
        await().pollDelay(Duration.ofSeconds(5)).atMost(TIMEOUT).untilAsserted(() ->
                assertThat(watcher.endpoints("orders")).containsExactly(ORDERS_V1));
    }

    @Test
    void aCrashedProxyDisappearsWhenItsTtlRunsOut() {
        var watcher = registry(memberB, null);
        registry(memberA, ORDERS_V1);
        await().atMost(TIMEOUT).until(() -> !watcher.endpoints("orders").isEmpty());

        // A crash: the proxy's process (and its member) dies without deregistering.
        memberA.getLifecycleService().terminate();

        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(watcher.endpoints("orders")).isEmpty());
        assertThat(watcher.services()).isEmpty();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
