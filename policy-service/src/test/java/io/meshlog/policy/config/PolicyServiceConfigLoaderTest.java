package io.meshlog.policy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyServiceConfigLoaderTest {
    @Test
    void readsTheFileAndLetsTheEnvironmentWin(@TempDir Path dir) throws Exception {
        var file = dir.resolve("policy.yaml");
        Files.writeString(file, """
                http: {host: 0.0.0.0, port: 9000}
                kafka: {bootstrapServers: "kafka:9092", topicPrefix: "dev.", client: {linger.ms: 5, sasl.jaas.config: "user=a password=hunter2"}}
                auth: {protectReads: true, tokens: [{name: ci, token: "0123456789abcdef0123"}]}
                publishTimeout: 3s
                """);

        var config = PolicyServiceConfigLoader.load(file, Map.of("MESHLOG_HTTP_PORT", "9100"));

        assertThat(config.port()).isEqualTo(9100);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.topics().policy().name()).isEqualTo("dev.mesh.policy.v1");
        assertThat(config.publishTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.protectReads()).isTrue();
        assertThat(config.tokens()).singleElement().satisfies(t -> assertThat(t.writer()).isTrue());
        assertThat(config.kafka()).containsEntry("linger.ms", 5);
        assertThat(config.toString()).doesNotContain("0123456789abcdef0123").doesNotContain("hunter2")
                .contains("linger.ms=5");
    }

    @Test
    void badValuesNameTheirPath() {
        assertThatThrownBy(() -> PolicyServiceConfigLoader.load(null, Map.of("MESHLOG_HTTP_PORT", "eighty")))
                .isInstanceOf(ConfigException.class).hasMessage("http.port: must be a number, but was \"eighty\"");
        assertThatThrownBy(() -> PolicyServiceConfigLoader.load(null, Map.of("MESHLOG_WRITER_TOKEN", "short")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("auth.tokens[env-writer].token: must be at least 16");
    }
}
