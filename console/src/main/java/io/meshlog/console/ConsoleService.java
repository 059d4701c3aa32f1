package io.meshlog.console;

import io.meshlog.console.api.ConsoleVerticle;
import io.meshlog.console.config.ConsoleConfig;
import io.meshlog.console.feed.ModelFeed;
import io.meshlog.console.findings.FindingsSource;
import io.meshlog.console.model.MeshModel;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running console: the model, the feed that fills it, and the HTTP server that shows it. */
public final class ConsoleService implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ConsoleService.class);

    private final Vertx vertx;
    private final ModelFeed feed;
    private final MeshModel model;
    private final ConsoleVerticle verticle;

    private ConsoleService(Vertx vertx, ModelFeed feed, MeshModel model, ConsoleVerticle verticle) {
        this.vertx = vertx;
        this.feed = feed;
        this.model = model;
        this.verticle = verticle;
    }

    /**
     * Starts the feed and the server; returns once the server listens.
     *
     * @param findings what analyzes the policies in force (null or {@link FindingsSource#NONE}: nothing)
     */
    public static ConsoleService start(ConsoleConfig config, FindingsSource findings, Clock clock) {
        findings = findings == null ? FindingsSource.NONE : findings;
        var model = new MeshModel(clock);
        var kafka = new HashMap<String, Object>(config.kafka());
        kafka.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        var feed = new ModelFeed(kafka, config.topics(), model, findings, clock);
        var vertx = Vertx.vertx();
        var verticle = new ConsoleVerticle(config, model, clock);
        try {
            vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            feed.close();
            var cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + cause.getMessage(), cause);
        }
        feed.start();
        LOGGER.atInfo().addKeyValue("host", config.host()).addKeyValue("port", verticle.port())
                .addKeyValue("tokens", config.tokens().size()).log("console listening");
        return new ConsoleService(vertx, feed, model, verticle);
    }

    public int port() {
        return verticle.port();
    }

    /** The model (for benchmarks and tests that look at what the page is fed). */
    public MeshModel model() {
        return model;
    }

    @Override
    public void close() {
        feed.close();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOGGER.atWarn().addKeyValue("error", e.toString()).log("console did not stop cleanly");
        }
    }
}
