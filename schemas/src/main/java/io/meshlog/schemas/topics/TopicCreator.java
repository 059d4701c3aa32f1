package io.meshlog.schemas.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the mesh's topics with Kafka's Admin client, idempotently: a topic that exists is left
 * alone if it has the right cleanup policy, and reported if it does not (a compacted topic created
 * by hand as "delete" would silently lose policies).
 */
public final class TopicCreator {
    private static final Logger LOGGER = LoggerFactory.getLogger(TopicCreator.class);

    private final Admin admin;
    private final short replicationFactor;
    private final Duration timeout;

    /**
     * @param admin a connected Admin client (not closed here)
     * @param replicationFactor replicas per partition (1 on a single dev broker)
     * @param timeout how long to wait for the broker
     */
    public TopicCreator(Admin admin, short replicationFactor, Duration timeout) {
        this.admin = admin;
        this.replicationFactor = replicationFactor;
        this.timeout = timeout;
    }

    /** Creates what is missing and checks what exists; returns the names it created. */
    public List<String> ensure(Collection<TopicSpec> specs) {
        var created = new ArrayList<String>();
        for (var spec : specs) {
            if (create(spec)) {
                created.add(spec.name());
            } else {
                verify(spec);
            }
        }
        return List.copyOf(created);
    }

    private boolean create(TopicSpec spec) {
        var topic = new NewTopic(spec.name(), spec.partitions(), replicationFactor)
                .configs(spec.configs());
        try {
            admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOGGER.atInfo().addKeyValue("topic", spec.name())
                    .addKeyValue("partitions", spec.partitions())
                    .addKeyValue("cleanup", spec.cleanupPolicy().configValue())
                    .log("topic created");
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw new TopicCreationException("cannot create topic " + spec.name() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new TopicCreationException("broker did not confirm topic " + spec.name()
                    + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicCreationException("interrupted creating topic " + spec.name(), e);
        }
    }

    /**
     * A topic another client created a moment ago may not have reached this broker's metadata
     * yet: its config answers "unknown topic" for a short while, so ask again before giving up.
     */
    private Map<ConfigResource, Config> describe(ConfigResource resource)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return admin.describeConfigs(List.of(resource)).all()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private void verify(TopicSpec spec) {
        var resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
        Map<ConfigResource, Config> configs;
        try {
            configs = describe(resource);
        } catch (ExecutionException | TimeoutException e) {
            throw new TopicCreationException("cannot read the config of topic " + spec.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicCreationException("interrupted reading topic " + spec.name(), e);
        }
        var entry = configs.get(resource).get("cleanup.policy");
        var actual = entry == null ? "delete" : entry.value();
        if (!actual.contains(spec.cleanupPolicy().configValue())) {
            throw new TopicCreationException("topic " + spec.name() + " exists with cleanup.policy="
                    + actual + " but meshlog needs " + spec.cleanupPolicy().configValue()
                    + "; fix it with kafka-configs.sh --alter or delete the topic", null);
        }
    }
}
