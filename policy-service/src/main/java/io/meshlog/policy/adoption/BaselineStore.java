package io.meshlog.policy.adoption;

import io.meshlog.schemas.reader.TopicReader;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicSpec;
import io.meshlog.schemas.v1.Baseline;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Named baselines on the compacted baselines topic: the latest record per name is the baseline. */
public final class BaselineStore {
    private final Map<String, Object> kafka;
    private final TopicSpec topic;

    public BaselineStore(Map<String, Object> kafka, TopicSpec topic) {
        this.kafka = Map.copyOf(kafka);
        this.topic = topic;
    }

    /** Stores {@code baseline} under its name, replacing an older one of the same name. */
    public void save(Baseline baseline, Duration timeout) {
        var props = new HashMap<>(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic.name(), baseline.getName(),
                    MeshSerdes.baseline().serialize(topic.name(), baseline))).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing baseline " + baseline.getName(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not store baseline " + baseline.getName() + " on " + topic.name()
                    + ": " + (e.getCause() != null ? e.getCause().getMessage() : "no answer within " + timeout.toSeconds() + " s"), e);
        }
    }

    /** The baseline named {@code name}, if one is stored. */
    public Optional<Baseline> find(String name, Duration timeout) {
        var found = new HashMap<String, Baseline>();
        var done = new CompletableFuture<Void>();
        var serde = MeshSerdes.baseline();
        var holder = new TopicReader<?>[1];
        var settings = TopicReader.Settings.replay(topic.name(), kafka, TopicReader.Settings.DEFAULT_POLL,
                TopicReader.Settings.DEFAULT_MIN_BACKOFF, TopicReader.Settings.DEFAULT_MAX_BACKOFF);
        try (var reader = new TopicReader<>("meshctl-baselines", "meshctl-baselines", settings, new ByteArrayDeserializer(),
                e -> { }, records -> {
                    for (var record : records) {
                        if (record.value() == null) {
                            found.remove(record.key());
                        } else {
                            found.put(record.key(), serde.deserialize(record.topic(), record.value()));
                        }
                    }
                    if (holder[0] != null && holder[0].replayed()) {
                        done.complete(null);
                    }
                })) {
            holder[0] = reader;
            reader.start();
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading baselines", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read " + topic.name() + " within " + timeout.toSeconds() + " s", e);
        }
        return Optional.ofNullable(found.get(name));
    }
}
