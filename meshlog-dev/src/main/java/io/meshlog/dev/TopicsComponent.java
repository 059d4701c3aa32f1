package io.meshlog.dev;

import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.topics.TopicCreationException;
import io.meshlog.schemas.topics.TopicCreator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Creates every topic of the mesh (idempotently: a second start finds them there). */
final class TopicsComponent implements DevComponent {
    private final Supplier<String> bootstrapServers;
    private final TopicCatalogue catalogue;
    private int created;

    TopicsComponent(Supplier<String> bootstrapServers, TopicCatalogue catalogue) {
        this.bootstrapServers = bootstrapServers;
        this.catalogue = catalogue;
    }

    @Override
    public String name() {
        return "topics";
    }

    @Override
    public void start() {
        try (var admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers.get()))) {
            created = new TopicCreator(admin, (short) 1, Duration.ofSeconds(30))
                    .ensure(catalogue.all()).size();
        } catch (TopicCreationException e) {
            throw new DevStartException(e.getMessage(), e);
        }
    }

    @Override
    public List<String> endpoints() {
        return List.of("topics                    " + catalogue.all().size() + " ("
                + created + " created now)");
    }

    @Override
    public void close() {
        // Topics live in the broker's data.
    }
}
