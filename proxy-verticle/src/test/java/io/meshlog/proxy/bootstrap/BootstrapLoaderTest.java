package io.meshlog.proxy.bootstrap;

import io.meshlog.proxy.config.ConfigException;
import io.meshlog.proxy.config.TelemetryMode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.schemas.v1.VirtualServiceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapLoaderTest {
    private static final String SETTINGS = """
            proxy: {id: p1, workload: frontend, labels: {app: frontend}}
            listeners:
              outbound: {host: 127.0.0.1, port: 15001}
              inbound: {port: 15006, appPort: 8080, timeout: 3s}
              admin: {port: 15000}
            telemetry: {sink: log}
            services:
              - name: orders
                endpoints:
                  - {host: 127.0.0.1, port: 9001, labels: {version: v1}, workload: orders-v1}
                  - {port: 9002, labels: {version: v2}}
            """;
    private static final String POLICIES = """
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: orders}
            spec:
              hosts: [orders]
              http: [{timeout: 1.5s, route: [{destination: {host: orders}}]}]
            """;
    private static final String GOOD = SETTINGS + POLICIES;

    @Test
    void readsListenersEndpointsAndPolicies() {
        var bootstrap = BootstrapLoader.parse(GOOD, "proxy.yaml");
        assertThat(bootstrap.proxy().proxyId()).isEqualTo("p1");
        assertThat(bootstrap.proxy().outbound().port()).isEqualTo(15001);
        assertThat(bootstrap.proxy().inbound().appPort()).isEqualTo(8080);
        assertThat(bootstrap.proxy().inbound().timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(bootstrap.proxy().telemetry()).isEqualTo(TelemetryMode.LOG);
        assertThat(bootstrap.endpoints()).extracting(e -> e.address()).containsExactly("127.0.0.1:9001", "127.0.0.1:9002");
        assertThat(bootstrap.endpoints().get(0).workload()).isEqualTo("orders-v1");
        var spec = (VirtualServiceSpec) bootstrap.policies().get(0).getSpec();
        assertThat(spec.getHttp().get(0).getTimeout()).isEqualTo(1500L);
    }

    @Test
    void tracingIsOffUnlessEnabled() {
        assertThat(BootstrapLoader.parse(GOOD, "proxy.yaml").tracingSamplingPercentage()).isNegative();
        var traced = BootstrapLoader.parse(SETTINGS + "tracing: {enabled: true, samplingPercentage: 100}\n" + POLICIES,
                "proxy.yaml");
        assertThat(traced.tracingSamplingPercentage()).isEqualTo(100.0);
    }

    @Test
    void readsTheMirrorBoundsAndDefaultsThem() {
        var bootstrap = BootstrapLoader.parse(GOOD.replace("workload: frontend,",
                "workload: frontend, mirror: {maxInFlight: 7, timeout: 250ms},"), "proxy.yaml");

        assertThat(bootstrap.proxy().mirror()).isEqualTo(new io.meshlog.proxy.config.MirrorLimits(7, Duration.ofMillis(250)));
        assertThat(BootstrapLoader.parse(GOOD, "proxy.yaml").proxy().mirror())
                .isEqualTo(io.meshlog.proxy.config.MirrorLimits.DEFAULTS);
    }

    @Test
    void readsTheEventLoopCountAndTheRetryBuffer() {
        var bootstrap = BootstrapLoader.parse(GOOD.replace("workload: frontend,",
                "workload: frontend, concurrency: 3, retryBufferBytes: 2048,"), "proxy.yaml");
        assertThat(bootstrap.proxy().concurrency()).isEqualTo(3);
        assertThat(bootstrap.proxy().retryBufferBytes()).isEqualTo(2048);
        assertThat(BootstrapLoader.parse(GOOD, "proxy.yaml").proxy().concurrency())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void refusesTheOldBodyLimitSayingWhatReplacedIt() {
        assertThatThrownBy(() -> BootstrapLoader.parse(GOOD.replace("workload: frontend,",
                "workload: frontend, maxRequestBytes: 1024,"), "proxy.yaml"))
                .hasMessageContaining("proxy.yaml proxy.maxRequestBytes").hasMessageContaining("proxy.retryBufferBytes");
        assertThatThrownBy(() -> BootstrapLoader.parse(GOOD.replace("workload: frontend,",
                "workload: frontend, concurrency: 999,"), "proxy.yaml"))
                .hasMessageContaining("proxy.concurrency").hasMessageContaining("but was 999");
    }

    @Test
    void acceptsJson() {
        var json = """
                {"proxy": {"workload": "w"}, "listeners": {"outbound": {"port": 0}}}
                """;
        assertThat(BootstrapLoader.parse(json, "p.json").proxy().workload()).isEqualTo("w");
    }

    @Test
    void namesTheFileAndPathOfABadPort() {
        assertThatThrownBy(() -> BootstrapLoader.parse(GOOD.replace("port: 9002", "port: 99999"), "proxy.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("proxy.yaml services[0].endpoints[1].port: must be between 1 and 65535, but was 99999");
    }

    @Test
    void namesAnUnknownPolicyField() {
        assertThatThrownBy(() -> BootstrapLoader.parse(GOOD.replace("timeout: 1.5s", "timeoutt: 1.5s"), "proxy.yaml"))
                .hasMessageStartingWith("proxy.yaml policies: 1 error(s)")
                .hasMessageContaining("proxy.yaml:18 VirtualService default/orders (line 13) spec.http[0].timeoutt: "
                        + "unknown field \"timeoutt\" (did you mean \"timeout\"?)");
    }

    @Test
    void namesABadDuration() {
        assertThatThrownBy(() -> BootstrapLoader.parse(GOOD.replace("timeout: 1.5s", "timeout: soon"), "proxy.yaml"))
                .hasMessageContaining("spec.http[0].timeout: must be a duration");
    }

    @Test
    void requiresAListener() {
        assertThatThrownBy(() -> BootstrapLoader.parse("proxy: {workload: w}\nlisteners: {}\n", "p.yaml"))
                .hasMessageStartingWith("p.yaml listeners: needs at least one of outbound or inbound");
    }

    @Test
    void aKafkaSinkNeedsItsBrokerAndDefaultsTheTopic() {
        var kafka = BootstrapLoader.parse(GOOD.replace("telemetry: {sink: log}",
                "telemetry: {sink: kafka, bootstrapServers: \"127.0.0.1:9092\", queueCapacity: 500}"), "proxy.yaml");
        assertThat(kafka.proxy().telemetry()).isEqualTo(TelemetryMode.KAFKA);
        assertThat(kafka.kafkaTelemetry().kafka()).containsEntry("bootstrap.servers", "127.0.0.1:9092");
        assertThat(kafka.kafkaTelemetry().topic()).isEqualTo("mesh.telemetry.requests.v1");
        assertThat(kafka.kafkaTelemetry().queueCapacity()).isEqualTo(500);
        assertThat(BootstrapLoader.parse(GOOD, "proxy.yaml").kafkaTelemetry()).isNull();

        assertThatThrownBy(() -> BootstrapLoader.parse(GOOD.replace("telemetry: {sink: log}", "telemetry: {sink: kafka}"),
                "proxy.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("proxy.yaml telemetry.bootstrapServers")
                .hasMessageContaining("must be set");
        assertThatThrownBy(() -> BootstrapLoader.parse(GOOD.replace("telemetry: {sink: log}", "telemetry: {sink: kafka, "
                + "bootstrapServers: \"h:1\", queueCapacity: 0}"), "proxy.yaml"))
                .hasMessageContaining("telemetry.queueCapacity");
        assertThatThrownBy(() -> BootstrapLoader.parse(GOOD.replace("telemetry: {sink: log}", "telemetry: {sink: file}"),
                "proxy.yaml"))
                .hasMessageContaining("must be none, log or kafka, but was file");
    }

    @Test
    void readsThePolicyFilesItNamesRelativeToItself(@TempDir Path dir) throws Exception {
        // Given
        Files.writeString(dir.resolve("orders.yaml"), POLICIES);
        var file = Files.writeString(dir.resolve("proxy.yaml"), SETTINGS + "policyFiles: [orders.yaml]\n");
        // When
        var bootstrap = BootstrapLoader.load(file);
        // Then
        assertThat(bootstrap.policies()).extracting(p -> p.getName()).containsExactly("orders");
        assertThat(bootstrap.policies().get(0).getNamespace()).isEqualTo("default");
    }

    @Test
    void refusesTheOldPoliciesListSayingWhereTheyGoNow() {
        assertThatThrownBy(() -> BootstrapLoader.parse(SETTINGS + "policies: []\n", "proxy.yaml"))
                .hasMessageStartingWith("proxy.yaml policies: is not read any more")
                .hasMessageContaining("policyFiles");
    }

    @Test
    void acceptsIstioFieldsItDoesNotEnforceAndRefusesUnsafeOnes() {
        var warned = SETTINGS + POLICIES.replace("hosts: [orders]", "hosts: [orders]\n  gateways: [mesh]");
        assertThat(BootstrapLoader.parse(warned, "proxy.yaml").policies()).hasSize(1);
        var refused = SETTINGS + POLICIES.replace("http: [{timeout", "http: [{match: [{scheme: {exact: https}}], timeout");
        assertThatThrownBy(() -> BootstrapLoader.parse(refused, "proxy.yaml"))
                .hasMessageContaining("scheme: is not supported by meshlog");
    }
}
