package io.meshlog.policy.cli;

import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.v1.BurnRateAlert;
import io.meshlog.schemas.v1.CanaryStatus;
import io.meshlog.schemas.v1.Decision;
import io.meshlog.schemas.v1.Ejection;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.RetryBudgetState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code meshctl tail telemetry|alerts|decisions|canaries}: follow a mesh topic from the terminal (reads Kafka directly). */
@Command(name = "tail", description = "Follow telemetry, alerts, decisions or canary statuses from Kafka.")
final class TailCommand implements Callable<Integer> {
    /** What can be tailed. */
    enum Stream { telemetry, alerts, decisions, canaries }

    @ParentCommand
    Meshctl meshctl;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "telemetry, alerts, decisions or canaries")
    Stream stream;

    @Option(names = "--bootstrap-server", description = "Kafka (env MESHCTL_KAFKA_BOOTSTRAP, default localhost:9092)")
    String bootstrap;

    @Option(names = "--topic-prefix", defaultValue = "", description = "prefix of the mesh's topic names")
    String prefix;

    @Option(names = "--service", description = "only this destination service")
    String service;

    @Option(names = "--status", description = "only this status class, e.g. 5xx, or status, e.g. 503")
    String status;

    @Option(names = "--flag", description = "only records with this response flag, e.g. UO")
    String flag;

    @Option(names = "--from-beginning", description = "start at the oldest record instead of now")
    boolean fromBeginning;

    @Option(names = "--max", defaultValue = "0", description = "stop after this many records (0: never)")
    int max;

    @Option(names = "--timeout", description = "stop after this long, e.g. 30s")
    String timeout;

    @Override
    public Integer call() {
        var topics = new TopicCatalogue(prefix);
        var topic = switch (stream) {
            case telemetry -> topics.telemetry().name();
            case alerts -> topics.alerts().name();
            case decisions -> topics.decisions().name();
            case canaries -> topics.canaryStatus().name();
        };
        var props = new HashMap<String, Object>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap != null ? bootstrap
                : meshctl.env().getOrDefault("MESHCTL_KAFKA_BOOTSTRAP", "localhost:9092"));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Decisions, alerts and canary statuses are written in exactly-once transactions.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var out = spec.commandLine().getOut();
        var deadline = timeout == null ? Long.MAX_VALUE
                : System.nanoTime() + io.meshlog.policy.model.Durations.parseMillis(timeout) * 1_000_000;
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new CliException("error: topic " + topic + " does not exist");
            }
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            int shown = 0;
            while (System.nanoTime() < deadline && (max == 0 || shown < max)) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    var line = format(topic, record.value());
                    if (line != null && (max == 0 || shown < max)) {
                        out.println(line);
                        out.flush();
                        shown++;
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new CliException("error: cannot reach Kafka: " + e.getMessage());
        }
        return 0;
    }

    private String format(String topic, byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return switch (stream) {
                case telemetry -> telemetry(MeshSerdes.requestTelemetry().deserialize(topic, value));
                case alerts -> alert(MeshSerdes.burnRateAlert().deserialize(topic, value));
                case decisions -> decision(MeshSerdes.decision().deserialize(topic, value));
                case canaries -> canary(MeshSerdes.canaryStatus().deserialize(topic, value));
            };
        } catch (RuntimeException e) {
            return "(unreadable record: " + e.getMessage() + ")";
        }
    }

    private String telemetry(RequestTelemetry t) {
        var flags = t.getResponseFlags().stream().map(Enum::name).toList();
        if ((service != null && !service.equals(t.getDestinationService())) || !statusMatches(t.getStatus())
                || (flag != null && !flags.contains(flag.toUpperCase(Locale.ROOT)))) {
            return null;
        }
        return String.format("%s %s/%s -> %s%s %s %d %s %.1fms%s", t.getEventTime(), t.getSourceNamespace(),
                t.getSourceWorkload(), t.getDestinationService(), t.getDestinationSubset() == null ? "" : "/" + t.getDestinationSubset(),
                t.getMethod(), t.getStatus(), flags.isEmpty() ? "-" : String.join(",", flags), t.getDurationMicros() / 1000.0,
                t.getRetry() ? " retry#" + t.getAttempt() : "");
    }

    private boolean statusMatches(int code) {
        if (status == null) {
            return true;
        }
        var text = String.valueOf(code);
        return status.endsWith("xx") ? text.charAt(0) == status.charAt(0) : text.equals(status);
    }

    private String alert(BurnRateAlert a) {
        if (service != null && !service.equals(a.getService())) {
            return null;
        }
        return String.format("%s %s %s %s/%s service=%s burn=%.1f/%.1f threshold=%.1f budget=%.3f", a.getEventTime(),
                a.getState(), a.getSeverity(), a.getSloNamespace(), a.getSloName(), a.getService(), a.getLongBurnRate(),
                a.getShortBurnRate(), a.getThreshold(), a.getErrorBudgetRemaining());
    }

    private String canary(CanaryStatus c) {
        return service != null && !service.equals(c.getService()) ? null : CanaryCommand.describe(c).stripTrailing();
    }

    private String decision(Decision d) {
        var payload = d.getPayload();
        if (payload instanceof Ejection e) {
            return service != null && !service.equals(e.getService()) ? null : String.format("%s %s %s %s reason=%s count=%d until=%s",
                    e.getDecidedAt(), e.getEjected() ? "EJECT" : "RESTORE", e.getService(), e.getEndpoint(), e.getReason(),
                    e.getEjectionCount(), e.getUntil());
        }
        if (payload instanceof RetryBudgetState r) {
            return service != null && !service.equals(r.getService()) ? null : String.format(
                    "%s RETRY-BUDGET %s retries=%d allowed=%d remaining=%d%s", r.getDecidedAt(), r.getService(), r.getRetries(),
                    r.getAllowedRetries(), r.getRemaining(), r.getExhausted() ? " EXHAUSTED" : "");
        }
        return String.valueOf(payload);
    }

}
