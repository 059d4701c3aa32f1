package io.meshlog.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SidecarKafkaClientsTest {
    @Test
    void turnsOffJmxAndMetricsPushByDefault() {
        var settings = SidecarKafkaClients.settings(Map.of("bootstrap.servers", "127.0.0.1:9092"));

        assertThat(settings).containsEntry("metric.reporters", "").containsEntry("enable.metrics.push", false)
                .containsEntry("bootstrap.servers", "127.0.0.1:9092");
    }

    @Test
    void theUsersOwnSettingWins() {
        var settings = SidecarKafkaClients.settings(Map.of("bootstrap.servers", "b:9092",
                "metric.reporters", "org.apache.kafka.common.metrics.JmxReporter", "enable.metrics.push", true));

        assertThat(settings).containsEntry("metric.reporters", "org.apache.kafka.common.metrics.JmxReporter")
                .containsEntry("enable.metrics.push", true);
    }
}
