package io.meshlog.policy;

import io.meshlog.policy.api.BearerAuth;
import io.meshlog.policy.api.PolicyApiVerticle;
import io.meshlog.policy.config.PolicyServiceConfig;
import io.meshlog.policy.parse.DocumentParser;
import io.meshlog.policy.publish.PolicyPublisher;
import io.meshlog.policy.publish.PolicyWriter;
import io.meshlog.policy.store.LogReader;
import io.meshlog.policy.store.PolicyView;
import io.meshlog.policy.store.ProxyView;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCreator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running policy service: replays the topics into its views, then serves the REST API.
 * {@link #start} blocks until the view is rebuilt and the API listens; {@link #close} stops it.
 */
public final class PolicyService implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(PolicyService.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Bounds how long a writer that died mid-transaction can hold back readers (Kafka aborts it then). */
    static final Duration WRITE_TRANSACTION_TIMEOUT = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final LogReader reader;
    private final PolicyPublisher publisher;
    private final PolicyWriter writer;
    private final PolicyApiVerticle api;
    private final PrometheusMeterRegistry registry;

    private PolicyService(Vertx vertx, LogReader reader, PolicyPublisher publisher, PolicyWriter writer,
            PolicyApiVerticle api, PrometheusMeterRegistry registry) {
        this.vertx = vertx;
        this.reader = reader;
        this.publisher = publisher;
        this.writer = writer;
        this.api = api;
        this.registry = registry;
    }

    /** Starts a service with {@code config}; returns once it serves requests. */
    public static PolicyService start(PolicyServiceConfig config) {
        LOGGER.atInfo().addKeyValue("config", config).log("starting policy service");
        var topics = config.topics();
        if (config.createTopics()) {
            try (var admin = Admin.create(clientProps(config))) {
                new TopicCreator(admin, (short) 1, START_TIMEOUT).ensure(List.of(topics.policy(), topics.configAcks()));
            }
        }
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var policies = new PolicyView();
        var proxies = new ProxyView(Clock.systemUTC(), config.proxyExpiry());
        var consumerProps = clientProps(config);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var reader = new LogReader(new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer()),
                topics.policy().name(), topics.configAcks().name(), policies, proxies);
        var producerProps = clientProps(config);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // One transactional id per mesh (per policy topic): the write lock every instance shares.
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topics.policy().name() + ".writer");
        // A crashed writer's open transaction holds back read_committed readers until the next
        // writer aborts it or this timeout does: keep it short.
        producerProps.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) WRITE_TRANSACTION_TIMEOUT.toMillis());
        producerProps.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.publishTimeout().toMillis());
        producerProps.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) config.publishTimeout().toMillis());
        producerProps.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) config.publishTimeout().toMillis());
        producerProps.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        var publisher = new PolicyPublisher(() -> new KafkaProducer<>(producerProps, new StringSerializer(),
                MeshSerdes.policyEvent().serializer()), topics.policy().name(), registry);
        var writer = new PolicyWriter(policies, reader, publisher, Clock.systemUTC(), config.publishTimeout().plusSeconds(5));
        var vertx = Vertx.vertx();
        var api = new PolicyApiVerticle(config.host(), config.port(), config.limits().maxBytes() + 4096,
                new DocumentParser(config.limits()), policies, proxies, reader, writer,
                new BearerAuth(config.tokens(), config.protectReads()), registry);
        var service = new PolicyService(vertx, reader, publisher, writer, api, registry);
        try {
            reader.start().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            vertx.deployVerticle(api).toCompletionStage().toCompletableFuture()
                    .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            service.close();
            throw new IllegalStateException("policy service did not start: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            service.close();
            throw new IllegalStateException("interrupted while starting", e);
        }
        LOGGER.atInfo().addKeyValue("port", api.actualPort()).log("policy service listening");
        return service;
    }

    private static Map<String, Object> clientProps(PolicyServiceConfig config) {
        var props = new HashMap<String, Object>(config.kafka());
        props.put("bootstrap.servers", config.bootstrapServers());
        return props;
    }

    /** The port of the REST API. */
    public int port() {
        return api.actualPort();
    }

    /** The registry behind {@code /metrics}. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOGGER.atWarn().addKeyValue("error", e.getMessage()).log("vert.x did not close cleanly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
        publisher.close();
        reader.close();
    }
}
