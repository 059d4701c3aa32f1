package io.meshlog.policy.cli;

import io.meshlog.policy.model.Durations;
import io.meshlog.schemas.v1.EnforcementMode;
import io.meshlog.schemas.v1.WouldHave;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code meshctl mode observe|enforce NAMESPACE}: publishes the namespace's MeshMode {@code default}
 * through the API like any apply (so {@code history}, {@code rollback} and {@code --wait} work);
 * {@code --dry-run} validates on the server, publishes nothing and prints what the namespace's
 * OBSERVE-mode sidecars would have enforced over the last {@code --window} (telemetry read from Kafka).
 */
@Command(name = "mode", description = "Switch a namespace between OBSERVE and ENFORCE (MeshMode 'default').")
final class ModeCommand implements Callable<Integer> {
    /** The name of the namespace-wide MeshMode this command owns. */
    static final String NAME = "default";

    @ParentCommand
    Meshctl meshctl;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "observe or enforce")
    String mode;

    @Parameters(index = "1", description = "the namespace (the mesh root namespace meshlog-system: the whole mesh)")
    String namespace;

    @Option(names = "--dry-run", description = "publish nothing; print the would-have counts of the last --window")
    boolean dryRun;

    @Option(names = "--window", defaultValue = "1h", description = "how far back --dry-run counts, e.g. 1h")
    String window;

    @Option(names = "--wait", description = "wait until every known proxy has applied the new generation")
    boolean waitForProxies;

    @Option(names = "--timeout", defaultValue = "60s", description = "how long --wait waits, e.g. 30s")
    String timeout;

    @Option(names = "--bootstrap-server", description = "Kafka, for --dry-run (env MESHCTL_KAFKA_BOOTSTRAP, default localhost:9092)")
    String bootstrap;

    @Option(names = "--topic-prefix", defaultValue = "", description = "prefix of the mesh's topic names")
    String prefix;

    @Override
    public Integer call() {
        var target = parseMode();
        var out = spec.commandLine().getOut();
        var document = """
                apiVersion: meshlog.io/v1
                kind: MeshMode
                metadata: {name: %s, namespace: %s}
                spec: {mode: %s}
                """.formatted(NAME, namespace, target.name());
        var path = ApiClient.BASE + "/namespaces/" + ApiClient.encode(namespace) + "/meshmodes/" + NAME
                + (dryRun ? "?dryRun=true" : "");
        var answer = meshctl.client().put(path, document, "application/yaml").body();
        out.println("meshmode " + namespace + "/" + NAME + " " + answer.getString("result") + " (generation "
                + answer.getLong("generation") + ")" + (dryRun ? " (dry run)" : "") + ": " + target);
        if (dryRun) {
            printWouldHave(out, target);
            out.flush();
            return 0;
        }
        out.flush();
        if (waitForProxies) {
            return new ProxyWait(meshctl.client(), millis(timeout, "--timeout"))
                    .await(Map.of(answer.getString("policy"), answer.getLong("generation")), out,
                            spec.commandLine().getErr()) ? 0 : 1;
        }
        return 0;
    }

    private void printWouldHave(PrintWriter out, EnforcementMode target) {
        var tally = new WouldHaveTally();
        var span = millis(window, "--window");
        long unreadable = new TelemetryWindow(TelemetryWindow.bootstrap(bootstrap, meshctl.env()), prefix)
                .read(span, tally::add);
        var total = tally.total(namespace);
        out.println("would-have counts in " + namespace + " over the last " + window + ":");
        for (var decision : WouldHave.values()) {
            if (decision != WouldHave.UNKNOWN) {
                out.println("  " + decision.name().toLowerCase(Locale.ROOT) + ": " + total.getOrDefault(decision, 0L));
            }
        }
        if (target == EnforcementMode.ENFORCE) {
            var blockers = tally.blockers(namespace);
            out.println(blockers.isEmpty() ? "enforcing would change no request seen in the window"
                    : "enforcing would change:");
            blockers.forEach(b -> out.println("  " + b));
        }
        if (unreadable > 0) {
            out.println("(" + unreadable + " unreadable telemetry record(s) skipped)");
        }
    }

    private EnforcementMode parseMode() {
        try {
            return EnforcementMode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CliException("error: mode must be observe or enforce, but was '" + mode + "'", List.of(), 2);
        }
    }

    static Duration millis(String text, String option) {
        try {
            return Duration.ofMillis(Durations.parseMillis(text));
        } catch (IllegalArgumentException e) {
            throw new CliException("error: " + option + " " + e.getMessage(), List.of(), 2);
        }
    }
}
