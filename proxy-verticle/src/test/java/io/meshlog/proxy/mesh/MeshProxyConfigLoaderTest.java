package io.meshlog.proxy.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.proxy.config.ConfigException;
import io.meshlog.proxy.discovery.HazelcastSettings;
import io.meshlog.schemas.v1.Reporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshProxyConfigLoaderTest {
    @Test
    void theEnvironmentAloneDescribesAProxyWithDefaults() {
        var config = MeshProxyConfigLoader.load(null, Map.of("MESHLOG_PROXY_WORKLOAD", "orders-v1",
                "MESHLOG_PROXY_LABELS", "app=orders,version=v1", "MESHLOG_PROXY_APP_PORT", "8080",
                "MESHLOG_PROXY_BOOTSTRAP_SERVERS", "127.0.0.1:9092", "PATH", "/usr/bin"));

        assertThat(config.service()).as("from the app label").isEqualTo("orders");
        assertThat(config.appPort()).isEqualTo(8080);
        assertThat(config.proxy().outbound().port()).isEqualTo(MeshProxyConfigLoader.DEFAULT_OUTBOUND_PORT);
        assertThat(config.proxy().inbound().listen().port()).isEqualTo(MeshProxyConfigLoader.DEFAULT_INBOUND_PORT);
        assertThat(config.proxy().labels()).containsEntry("version", "v1");
        assertThat(config.hazelcast().mode()).isEqualTo(HazelcastSettings.Mode.EMBEDDED);
        assertThat(config.topics().prefix()).isEmpty();
        assertThat(config.telemetryReporters()).containsExactlyInAnyOrder(Reporter.SOURCE, Reporter.DESTINATION);
        assertThat(config.tracing()).isNull();
    }

    @Test
    void theEnvironmentWinsOverTheFile(@TempDir Path dir) throws Exception {
        var file = dir.resolve("proxy.properties");
        Files.writeString(file, """
                workload=web
                id=web-1
                bootstrap.servers=broker:9092
                topic.prefix=dev.
                admin.port=0
                hazelcast.mode=client
                hazelcast.members=hz1:5701,hz2:5701
                discovery.ttl=6s
                discovery.heartbeat.interval=2s
                telemetry.reporters=source
                tracing.sampling.percentage=10
                """);
        var config = MeshProxyConfigLoader.load(file, Map.of("MESHLOG_PROXY_ADMIN_PORT", "15100"));

        assertThat(config.proxy().proxyId()).isEqualTo("web-1");
        assertThat(config.proxy().inbound()).as("no app port: an outbound-only proxy").isNull();
        assertThat(config.proxy().admin().port()).isEqualTo(15100);
        assertThat(config.topics().policy().name()).isEqualTo("dev.mesh.policy.v1");
        assertThat(config.hazelcast().members()).containsExactly("hz1:5701", "hz2:5701");
        assertThat(config.discovery().ttl()).isEqualTo(Duration.ofSeconds(6));
        assertThat(config.telemetryReporters()).containsExactly(Reporter.SOURCE);
        assertThat(config.tracing().samplingPercentage()).isEqualTo(10.0);
    }

    @Test
    void badValuesNameTheVariableOrTheKey(@TempDir Path dir) throws Exception {
        var base = Map.of("MESHLOG_PROXY_WORKLOAD", "web", "MESHLOG_PROXY_BOOTSTRAP_SERVERS", "b:9092");
        assertThatThrownBy(() -> MeshProxyConfigLoader.load(null, with(base, "MESHLOG_PROXY_ADMIN_PORT", "99999")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("MESHLOG_PROXY_ADMIN_PORT: must be between 0 and 65535, but was 99999");
        assertThatThrownBy(() -> MeshProxyConfigLoader.load(null, Map.of("MESHLOG_PROXY_WORKLOAD", "web")))
                .hasMessageContaining("bootstrap.servers: must be set (MESHLOG_PROXY_BOOTSTRAP_SERVERS");
        assertThatThrownBy(() -> MeshProxyConfigLoader.load(null, with(base, "MESHLOG_PROXY_APP_PORT", "8080")))
                .as("an inbound listener needs a service name")
                .hasMessageStartingWith("service: must name the service");
        var file = dir.resolve("p.properties");
        Files.writeString(file, "hazelcast.mode=cluster\n");
        assertThatThrownBy(() -> MeshProxyConfigLoader.load(file, base))
                .hasMessage(file + " hazelcast.mode: must be embedded or client, but was 'cluster'");
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        var copy = new java.util.HashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
