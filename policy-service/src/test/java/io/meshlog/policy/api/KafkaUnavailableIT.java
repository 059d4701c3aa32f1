package io.meshlog.policy.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.kafka.embedded.EmbeddedBrokerConfig;
import io.meshlog.kafka.embedded.EmbeddedKafkaBroker;
import io.meshlog.policy.PolicyService;
import io.meshlog.schemas.auth.BearerToken;
import io.meshlog.policy.config.PolicyServiceConfig;
import io.meshlog.policy.parse.YamlLimits;
import io.meshlog.schemas.topics.TopicCatalogue;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A broker of its own, stopped mid-test: writes answer 503, reads keep serving the view. */
class KafkaUnavailableIT {
    private static final String TOKEN = "writer-token-0123456789";

    @Test
    void writesAnswer503WhenKafkaIsGoneAndReadsStillWork() throws Exception {
        var broker = new EmbeddedKafkaBroker(EmbeddedBrokerConfig.ephemeral(Files.createTempDirectory("policy-503-")));
        broker.start();
        var config = new PolicyServiceConfig("127.0.0.1", 0, broker.bootstrapServers(), new TopicCatalogue(""),
                List.of(new BearerToken("tester", TOKEN, true)), false, Duration.ofSeconds(2), YamlLimits.DEFAULT, Map.of(), true);
        try (var service = PolicyService.start(config)) {
            var http = new Http(service.port());
            var path = "/apis/meshlog.io/v1/namespaces/default/destinationrules/ratings";
            assertThat(http.put(path, PolicyApiIT.destinationRule("ratings", "default", "", PolicyApiIT.subsets("v1")), TOKEN)
                    .status()).isEqualTo(201);

            broker.close();
            var refused = http.put(path, PolicyApiIT.destinationRule("ratings", "default", "", PolicyApiIT.subsets("v2")), TOKEN);

            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.json().getString("message")).startsWith("Kafka did not acknowledge the change");
            var read = http.get(path);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.json().getJsonObject("spec").getJsonArray("subsets").encode()).contains("\"v1\"");
        } finally {
            broker.close();
        }
    }
}
