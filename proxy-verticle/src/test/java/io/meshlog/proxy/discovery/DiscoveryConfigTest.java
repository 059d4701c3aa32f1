package io.meshlog.proxy.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.proxy.config.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiscoveryConfigTest {
    @Test
    void refusesAHeartbeatThatCouldLetALiveRegistrationExpire() {
        assertThatThrownBy(() -> new DiscoveryConfig(null, Duration.ofSeconds(3), Duration.ofSeconds(2)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("discovery.heartbeatInterval: must be positive and at most a third of"
                        + " discovery.ttl (PT3S), but was PT2S");
    }

    @Test
    void refusesAClientWithoutMembers() {
        assertThatThrownBy(() -> HazelcastSettings.client("mesh", List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("hazelcast.members: a client needs at least one member");
    }

    @Test
    void registrationsSurviveTheirTextFormIncludingOddCharacters() {
        var endpoint = new Endpoint("orders", "127.0.0.1", 8080,
                Map.of("version", "v1", "team", "a&b=c"), "orders-v1", "spiffe://mesh.local/ns/shop/sa/orders");

        assertThat(EndpointCodec.decode(EndpointCodec.encode(endpoint))).isEqualTo(endpoint);
        assertThat(EndpointCodec.key(endpoint)).isEqualTo("orders/127.0.0.1:8080");
    }
}
