package io.meshlog.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The proxy's certificate topics consumer waits for Kafka however long it takes to answer, as it
 * waits for a topic that does not exist yet. bench/chaos.sh found it giving up after one 5 s
 * metadata timeout on a loaded machine: the consumer stopped for good ("can no longer renew its
 * certificate") and every sidecar starting then failed.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CertificateTopicsConsumerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void keepsWaitingPastAMetadataTimeoutWhileKafkaDoesNotAnswer() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (var consumer = consumer("127.0.0.1:" + closedPort, new TopicCatalogue("unreachable."))) {
            consumer.start();

            // Longer than two of its 5 s metadata requests: before the fix it failed after the first.
            await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(20))
                    .until(() -> !consumer.assigned().isDone());
        }
    }

    @Test
    void assignsOnceKafkaAnswers(SharedKafka kafka) throws Exception {
        var topics = new TopicCatalogue(kafka.uniquePrefix());
        new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(topics.all());
        try (var consumer = consumer(kafka.bootstrapServers(), topics)) {
            consumer.start();

            assertThat(consumer.assigned()).succeedsWithin(TIMEOUT);
        }
    }

    private static CertificateTopicsConsumer consumer(String bootstrap, TopicCatalogue topics) {
        return new CertificateTopicsConsumer(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500), topics, "contract-proxy", "cluster.local",
                issued -> { }, rejected -> { }, trust -> { });
    }
}
