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
    void successSamplingIsOffUnlessAShareIsSetAndABadShareNamesItsVariable() {
        var base = Map.of("MESHLOG_PROXY_WORKLOAD", "web", "MESHLOG_PROXY_BOOTSTRAP_SERVERS", "b:9092");
        assertThat(MeshProxyConfigLoader.load(null, base).telemetrySampling().enabled()).isFalse();

        var sampled = MeshProxyConfigLoader.load(null, with(with(base, "MESHLOG_PROXY_TELEMETRY_SAMPLING_SUCCESSES_PERCENT",
                "5"), "MESHLOG_PROXY_TELEMETRY_SAMPLING_SLOW_THRESHOLD", "50ms")).telemetrySampling();
        assertThat(sampled.successPercent()).isEqualTo(5);
        assertThat(sampled.slowThreshold()).isEqualTo(java.time.Duration.ofMillis(50));
        assertThatThrownBy(() -> MeshProxyConfigLoader.load(null,
                with(base, "MESHLOG_PROXY_TELEMETRY_SAMPLING_SUCCESSES_PERCENT", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("telemetry.sampling.successes.percent");
    }

    @Test
    void theEventLoopCountComesFromConcurrencyElseFromMeshlogEventLoops() {
        var base = Map.of("MESHLOG_PROXY_WORKLOAD", "web", "MESHLOG_PROXY_BOOTSTRAP_SERVERS", "b:9092");
        var launcher = new java.util.HashMap<>(base);
        launcher.put("MESHLOG_EVENT_LOOPS", "3");
        assertThat(MeshProxyConfigLoader.load(null, launcher).proxy().concurrency()).isEqualTo(3);
        launcher.put("MESHLOG_PROXY_CONCURRENCY", "2");
        assertThat(MeshProxyConfigLoader.load(null, launcher).proxy().concurrency()).isEqualTo(2);
        var old = new java.util.HashMap<>(base);
        old.put("MESHLOG_PROXY_MAX_REQUEST_BYTES", "1024");
        assertThatThrownBy(() -> MeshProxyConfigLoader.load(null, old))
                .hasMessageContaining("MESHLOG_PROXY_MAX_REQUEST_BYTES").hasMessageContaining("MESHLOG_PROXY_RETRY_BUFFER_BYTES");
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

    @Test
    void aJoinTokenFileTurnsOnTheWorkloadIdentityWithDefaultsAndTheTokenNeverShows(@TempDir Path dir)
            throws Exception {
        var token = dir.resolve("orders");
        Files.writeString(token, "eyJjbGFpbXMiOjF9.c2lnbmF0dXJl\n");
        var env = Map.of("MESHLOG_PROXY_WORKLOAD", "orders-v1", "MESHLOG_PROXY_LABELS", "app=orders",
                "MESHLOG_PROXY_APP_PORT", "8080", "MESHLOG_PROXY_NAMESPACE", "shop", "MESHLOG_PROXY_ID", "orders-1",
                "MESHLOG_PROXY_BOOTSTRAP_SERVERS", "b:9092", "MESHLOG_PROXY_JOIN_TOKEN_FILE", token.toString());

        var config = MeshProxyConfigLoader.load(null, env);

        var identity = config.identity();
        assertThat(identity.trustDomain()).isEqualTo("cluster.local");
        assertThat(identity.serviceAccount()).as("the service name").isEqualTo("orders");
        assertThat(identity.rootNamespace()).isEqualTo("meshlog-system");
        assertThat(identity.joinToken()).isEqualTo("eyJjbGFpbXMiOjF9.c2lnbmF0dXJl");
        var handed = config.identityConfig();
        assertThat(handed.proxyId()).isEqualTo("orders-1");
        assertThat(handed.spiffeId().uri()).isEqualTo("spiffe://cluster.local/ns/shop/sa/orders");
        assertThat(handed.joinToken()).isEqualTo(identity.joinToken());
        assertThat(config.toString()).as("the config is logged at start").contains(token.toString())
                .doesNotContain("c2lnbmF0dXJl").doesNotContain("eyJjbGFpbXMiOjF9");
    }

    @Test
    void composeNamesSetTheTrustDomainServiceAccountAndRootNamespace(@TempDir Path dir) throws Exception {
        var token = dir.resolve("token");
        Files.writeString(token, "claims.signature");
        var config = MeshProxyConfigLoader.load(null, Map.of("MESHLOG_PROXY_WORKLOAD", "gateway",
                "MESHLOG_PROXY_BOOTSTRAP_SERVERS", "b:9092", "MESHLOG_PROXY_TRUST_DOMAIN", "mesh.example",
                "MESHLOG_PROXY_SERVICE_ACCOUNT", "api-gateway", "MESHLOG_PROXY_ROOT_NAMESPACE", "mesh-root",
                "MESHLOG_PROXY_JOIN_TOKEN_FILE", token.toString()));

        assertThat(config.identityConfig().spiffeId().uri())
                .isEqualTo("spiffe://mesh.example/ns/default/sa/api-gateway");
        assertThat(config.identity().rootNamespace()).isEqualTo("mesh-root");
    }

    @Test
    void withoutAJoinTokenFileTheProxyIsPlaintext() {
        var config = MeshProxyConfigLoader.load(null, Map.of("MESHLOG_PROXY_WORKLOAD", "web",
                "MESHLOG_PROXY_BOOTSTRAP_SERVERS", "b:9092"));

        assertThat(config.identity()).isNull();
        assertThat(config.identityConfig()).isNull();
    }

    @Test
    void aMissingEmptyUnreadableOrMalformedTokenFileOrATokenValueIsAClearErrorWithoutTheToken(@TempDir Path dir)
            throws Exception {
        var base = Map.of("MESHLOG_PROXY_WORKLOAD", "web", "MESHLOG_PROXY_BOOTSTRAP_SERVERS", "b:9092");
        var missing = dir.resolve("missing");
        assertThatThrownBy(() -> MeshProxyConfigLoader.load(null, with(base, "MESHLOG_PROXY_JOIN_TOKEN_FILE",
                missing.toString()))).isInstanceOf(ConfigException.class)
                .hasMessage("MESHLOG_PROXY_JOIN_TOKEN_FILE: the join token file '" + missing + "' does not exist");
        var empty = Files.writeString(dir.resolve("empty"), " \n");
        assertThatThrownBy(() -> MeshProxyConfigLoader.load(null, with(base, "MESHLOG_PROXY_JOIN_TOKEN_FILE",
                empty.toString())))
                .hasMessage("MESHLOG_PROXY_JOIN_TOKEN_FILE: the join token file '" + empty + "' is empty");
        assertThatThrownBy(() -> MeshProxyConfigLoader.load(null, with(base, "MESHLOG_PROXY_JOIN_TOKEN_FILE",
                dir.toString())))
                .as("a directory").hasMessageContaining("is not a readable file");
        var unreadable = Files.writeString(dir.resolve("unreadable"), "claims.signature");
        if (unreadable.toFile().setReadable(false) && !Files.isReadable(unreadable)) { // root reads anything
            assertThatThrownBy(() -> MeshProxyConfigLoader.load(null, with(base, "MESHLOG_PROXY_JOIN_TOKEN_FILE",
                    unreadable.toString()))).hasMessageContaining("is not a readable file");
        }
        var malformed = Files.writeString(dir.resolve("malformed"), "not-a-token-secret");
        assertThatThrownBy(() -> MeshProxyConfigLoader.load(null, with(base, "MESHLOG_PROXY_JOIN_TOKEN_FILE",
                malformed.toString())))
                .hasMessageStartingWith("MESHLOG_PROXY_JOIN_TOKEN_FILE: '" + malformed + "' does not hold a join token")
                .hasMessageNotContaining("not-a-token-secret");
        assertThatThrownBy(() -> MeshProxyConfigLoader.load(null, with(base, "MESHLOG_PROXY_JOIN_TOKEN",
                "claims.signature")))
                .hasMessageStartingWith("MESHLOG_PROXY_JOIN_TOKEN: a join token is never taken as a value")
                .hasMessageContaining("MESHLOG_PROXY_JOIN_TOKEN_FILE")
                .hasMessageNotContaining("claims.signature");
        assertThatThrownBy(() -> MeshProxyConfigLoader.load(null, with(base, "MESHLOG_PROXY_TRUST_DOMAIN",
                "cluster.local")))
                .hasMessageStartingWith("MESHLOG_PROXY_TRUST_DOMAIN: needs a workload identity");
        var token = Files.writeString(dir.resolve("token"), "claims.signature");
        var badAccount = with(with(base, "MESHLOG_PROXY_JOIN_TOKEN_FILE", token.toString()),
                "MESHLOG_PROXY_SERVICE_ACCOUNT", "Not_Valid");
        assertThatThrownBy(() -> MeshProxyConfigLoader.load(null, badAccount))
                .hasMessageContaining("not a mesh SPIFFE id").hasMessageContaining("Not_Valid");
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        var copy = new java.util.HashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
