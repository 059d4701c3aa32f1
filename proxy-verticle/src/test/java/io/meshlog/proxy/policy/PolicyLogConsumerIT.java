package io.meshlog.proxy.policy;

import static io.meshlog.proxy.policy.PolicyEvents.destinationRule;
import static io.meshlog.proxy.policy.PolicyEvents.put;
import static io.meshlog.proxy.policy.PolicyEvents.raw;
import static io.meshlog.proxy.policy.PolicyEvents.retryBudget;
import static io.meshlog.proxy.policy.PolicyEvents.tombstone;
import static io.meshlog.proxy.policy.PolicyEvents.virtualService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreator;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class PolicyLogConsumerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<PolicyState> delivered = new CopyOnWriteArrayList<>();
    private PolicyLogConsumer consumer;

    @AfterEach
    void close() {
        if (consumer != null) {
            consumer.close();
        }
    }

    private String policyTopic(SharedKafka kafka) {
        var spec = new TopicCatalogue(kafka.uniquePrefix()).policy();
        new TopicCreator(kafka.admin(), (short) 1, TIMEOUT).ensure(List.of(spec));
        return spec.name();
    }

    private void startConsumer(SharedKafka kafka, String topic) {
        consumer = new PolicyLogConsumer(
                PolicyConsumerConfig.defaults(kafka.bootstrapServers(), topic), delivered::add,
                registry).start();
    }

    private static Map<String, Long> generations(PolicyState state) {
        return state.policies().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getGeneration()));
    }

    @Test
    void replayDeliversTheCurrentStateOnceThenAppliesUpdatesAndTombstones(SharedKafka kafka) {
        var topic = policyTopic(kafka);
        PolicyEvents.publish(kafka, topic, List.of(
                put(destinationRule("orders", 1)),
                put(virtualService("orders", 1)),
                put(retryBudget("orders", 1)),
                put(destinationRule("orders", 2)),
                tombstone("RetryBudget/shop/orders")));

        startConsumer(kafka, topic);

        await().atMost(TIMEOUT).until(consumer::isCaughtUp);
        assertThat(delivered).as("one state after the replay, none for its intermediate steps")
                .singleElement().satisfies(state -> assertThat(generations(state)).isEqualTo(Map.of(
                        "DestinationRule/shop/orders", 2L, "VirtualService/shop/orders", 1L)));

        PolicyEvents.publish(kafka, topic, List.of(
                put(virtualService("orders", 2)), tombstone("DestinationRule/shop/orders")));

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(generations(consumer.current()))
                .isEqualTo(Map.of("VirtualService/shop/orders", 2L)));
        assertThat(delivered.get(delivered.size() - 1)).isSameAs(consumer.current());
        assertThat(delivered).extracting(PolicyState::version).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void invalidEventsAndUndecodableRecordsAreSkippedAndCountedAndTheConsumerGoesOn(
            SharedKafka kafka) {
        var topic = policyTopic(kafka);
        PolicyEvent wrongSpec = PolicyEvents.event(io.meshlog.schemas.v1.PolicyKind.VirtualService,
                "payments", 1, io.meshlog.schemas.v1.RetryBudgetSpec.newBuilder()
                        .setHost("payments").build());
        PolicyEvents.publish(kafka, topic, List.of(
                put(destinationRule("orders", 1)),
                put("DestinationRule/shop/elsewhere", destinationRule("orders", 3)),
                put(destinationRule("cart", 0)),
                put(wrongSpec),
                raw("DestinationRule/shop/orders", "not avro".getBytes(StandardCharsets.UTF_8)),
                put(virtualService("orders", 1))));

        startConsumer(kafka, topic);

        await().atMost(TIMEOUT).until(consumer::isCaughtUp);
        var state = consumer.current();
        assertThat(generations(state)).isEqualTo(Map.of(
                "DestinationRule/shop/orders", 1L, "VirtualService/shop/orders", 1L));
        assertThat(state.rejected()).extracting(PolicyRejection::policyKey, PolicyRejection::generation)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("DestinationRule/shop/elsewhere", 3L),
                        org.assertj.core.groups.Tuple.tuple("DestinationRule/shop/cart", 0L),
                        org.assertj.core.groups.Tuple.tuple("VirtualService/shop/payments", 1L));
        assertThat(state.rejected()).extracting(PolicyRejection::reason).containsExactlyInAnyOrder(
                "key 'DestinationRule/shop/elsewhere' does not match the event's kind/namespace/name"
                        + " 'DestinationRule/shop/orders'",
                "generation must be at least 1, but was 0",
                "kind VirtualService needs a VirtualServiceSpec but the spec is a RetryBudgetSpec");
        assertThat(rejected("invalid")).isEqualTo(3);
        assertThat(rejected("undecodable")).isEqualTo(1);

        PolicyEvents.publish(kafka, topic, List.of(put(destinationRule("cart", 1))));

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(generations(consumer.current())).containsEntry("DestinationRule/shop/cart", 1L);
            assertThat(consumer.current().rejected()).extracting(PolicyRejection::policyKey)
                    .as("a valid version clears the key's rejection")
                    .doesNotContain("DestinationRule/shop/cart");
        });
    }

    @Test
    void anUnreachableBrokerLeavesTheConsumerRetryingNotCaughtUpAndClosable() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var config = new PolicyConsumerConfig(Map.of("bootstrap.servers", "127.0.0.1:" + port),
                "mesh.policy.v1", null, Duration.ofMillis(300), Duration.ofMillis(50),
                Duration.ofMillis(200));
        consumer = new PolicyLogConsumer(config, delivered::add, registry).start();

        await().pollDelay(Duration.ofSeconds(2)).atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(consumer.isCaughtUp()).isFalse();
            assertThat(consumer.current()).isEqualTo(PolicyState.empty());
        });
        assertThat(delivered).isEmpty();
        assertThat(threadNamed("meshlog-policy-consumer")).as("still retrying").isTrue();

        consumer.close();
        await().atMost(TIMEOUT).until(() -> !threadNamed("meshlog-policy-consumer"));
    }

    private static boolean threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    private double rejected(String reason) {
        return registry.get(PolicyLogConsumer.REJECTED).tag("reason", reason).counter().count();
    }
}
