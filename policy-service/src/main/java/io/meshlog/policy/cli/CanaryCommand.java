package io.meshlog.policy.cli;

import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.v1.CanaryStatus;
import io.meshlog.schemas.v1.CanaryStepMetrics;
import io.meshlog.schemas.v1.PolicyKind;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code meshctl canary status|promote|abort|pause|resume NAME}: the controller's view of a Canary
 * (read from mesh.canary.status.v1), and control through the policy log: the command sets the
 * Canary's {@code meshlog.io/canary-control} label (a new generation with the same spec), which the
 * controller applies without restarting the analysis.
 */
@Command(name = "canary", description = "Show or steer a Canary: status, promote, abort, pause, resume.")
final class CanaryCommand implements Callable<Integer> {
    static final String CONTROL_LABEL = "meshlog.io/canary-control";

    /** What can be done to a Canary. */
    enum Action { status, promote, abort, pause, resume }

    @ParentCommand
    Meshctl meshctl;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "status, promote, abort, pause or resume")
    Action action;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default")
    String namespace;

    @Option(names = "--bootstrap-server", description = "Kafka, for status (env MESHCTL_KAFKA_BOOTSTRAP, default localhost:9092)")
    String bootstrap;

    @Option(names = "--topic-prefix", defaultValue = "", description = "prefix of the mesh's topic names")
    String prefix;

    @Override
    public Integer call() {
        if (action == Action.status) {
            return status();
        }
        var path = Kinds.path(namespace, PolicyKind.Canary, name);
        var client = meshctl.client();
        var document = client.get(path).body();
        var metadata = document.getJsonObject("metadata");
        metadata.remove("author");
        metadata.remove("time");
        var labels = metadata.getJsonObject("labels", new JsonObject());
        if (action == Action.resume) {
            labels.remove(CONTROL_LABEL);
        } else {
            labels.put(CONTROL_LABEL, action.name());
        }
        metadata.put("labels", labels);
        var answer = client.put(path, document.encode(), "application/json").body();
        spec.commandLine().getOut().println("canary " + namespace + "/" + name + " " + past(action) + " as generation "
                + answer.getLong("generation") + "; see meshctl canary status " + name);
        return 0;
    }

    private int status() {
        var topic = new TopicCatalogue(prefix).canaryStatus().name();
        var key = namespace + "/" + name;
        var props = new HashMap<String, Object>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap != null ? bootstrap
                : meshctl.env().getOrDefault("MESHCTL_KAFKA_BOOTSTRAP", "localhost:9092"));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        CanaryStatus last = null;
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), MeshSerdes.canaryStatus())) {
            var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new CliException("error: topic " + topic + " does not exist");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        last = record.value();
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new CliException("error: cannot reach Kafka: " + e.getMessage());
        }
        if (last == null) {
            throw new CliException("error: the canary controller has no status for " + key);
        }
        spec.commandLine().getOut().print(describe(last));
        return 0;
    }

    /** A status as meshctl prints it (also one block per change in {@code tail canaries}). */
    static String describe(CanaryStatus s) {
        var out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "canary %s/%s (service %s, %s -> %s, generation %d)%n", s.getNamespace(),
                s.getName(), s.getService(), s.getStableSubset(), s.getCanarySubset(), s.getCanaryGeneration()));
        out.append(String.format(Locale.ROOT, "  phase %s%s, step %d of %d, canary weight %d%%, failed checks %d%n",
                s.getPhase(), s.getPaused() ? " (paused)" : "", s.getStep() + 1, s.getSteps(), s.getCanaryWeight(),
                s.getFailedChecks()));
        out.append(String.format(Locale.ROOT, "  route generation %d %s%s%n", s.getRouteGeneration(),
                s.getRouteAcknowledged() ? "acknowledged by every proxy serving it" : "not yet acknowledged",
                s.getWaitingFor().isEmpty() ? "" : " (waiting for " + String.join(", ", s.getWaitingFor()) + ")"));
        out.append("  this step, same time: canary ").append(metrics(s.getCanary())).append("; stable ")
                .append(metrics(s.getStable())).append(System.lineSeparator());
        var reason = s.getRollbackReason();
        if (reason != null) {
            out.append(String.format(Locale.ROOT, "  %s check: %s %s (threshold %.2f) over %d canary requests%n",
                    s.getPhase().name().equals("Failed") ? "rollback" : "last failed", reason.getMetric(),
                    reason.getValue() == null ? "n/a" : String.format(Locale.ROOT, "%.2f", reason.getValue()),
                    reason.getThreshold(), reason.getRequests()));
        }
        out.append("  ").append(s.getUpdatedAt()).append(" ").append(s.getMessage()).append(System.lineSeparator());
        return out.toString();
    }

    private static String metrics(CanaryStepMetrics m) {
        return m.getRequests() == 0 ? "0 requests" : String.format(Locale.ROOT, "%d requests, success %.2f%%, p99 %.1f ms",
                m.getRequests(), m.getSuccessRate(), m.getP99Millis());
    }

    private static String past(Action action) {
        return switch (action) {
            case promote -> "promoted";
            case abort -> "aborted";
            case pause -> "paused";
            case resume -> "resumed";
            case status -> "shown";
        };
    }
}
