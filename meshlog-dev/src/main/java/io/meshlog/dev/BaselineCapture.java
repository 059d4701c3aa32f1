package io.meshlog.dev;

import io.meshlog.policy.cli.Meshctl;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures the demo's baseline once its first minute of traffic is in, as a user would with
 * {@code meshctl baseline capture}, so {@code meshctl baseline compare} has something to compare
 * with from then on. Runs meshctl on a worker thread (it reads Kafka and blocks).
 */
final class BaselineCapture {
    static final String NAME = "first-minute";
    private static final Logger LOGGER = LoggerFactory.getLogger(BaselineCapture.class);

    private final Vertx vertx;
    private final Supplier<String> bootstrapServers;
    private final Duration after;
    private long timer = -1;

    BaselineCapture(Vertx vertx, Supplier<String> bootstrapServers, Duration after) {
        this.vertx = vertx;
        this.bootstrapServers = bootstrapServers;
        this.after = after;
    }

    void start() {
        timer = vertx.setTimer(after.toMillis(), id -> vertx.executeBlocking(this::capture, false));
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private Integer capture() {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Meshctl.run(new String[] {"baseline", "capture", NAME, "--window", after.toSeconds() + "s",
                "--bootstrap-server", bootstrapServers.get()}, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        if (code == 0) {
            LOGGER.atInfo().addKeyValue("baseline", NAME).log(out.toString().strip());
        } else {
            LOGGER.atWarn().addKeyValue("baseline", NAME).addKeyValue("error", err.toString().strip())
                    .log("demo baseline not captured");
        }
        return code;
    }
}
