package io.meshlog.policy.cli;

import io.meshlog.policy.adoption.BaselineComparison;
import io.meshlog.policy.adoption.BaselineStore;
import io.meshlog.policy.adoption.MeshFigures;
import io.meshlog.policy.adoption.WindowReader;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code meshctl baseline capture|compare NAME}: named baselines of the mesh's figures, on mesh.baselines.v1. */
@Command(name = "baseline", description = "Capture the mesh's figures as a named baseline, or compare now with one.",
        subcommands = {BaselineCommand.Capture.class, BaselineCommand.Compare.class})
final class BaselineCommand {
    @ParentCommand
    Meshctl meshctl;

    /** {@code meshctl baseline capture NAME [--window 1h]}. */
    @Command(name = "capture", description = "Store per-edge and per-proxy figures of the last window under NAME.")
    static final class Capture implements Callable<Integer> {
        @ParentCommand
        BaselineCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        KafkaOptions kafka;

        @Parameters(index = "0", description = "the baseline's name, e.g. before-mesh")
        String name;

        @Option(names = "--window", defaultValue = "1h", description = "how far back, e.g. 1h or 5m")
        String window;

        @Override
        public Integer call() {
            var meshctl = parent.meshctl;
            var data = new WindowReader(kafka.kafka(meshctl), kafka.topics(), Clock.systemUTC())
                    .read(KafkaOptions.window(window), kafka.timeout());
            var baseline = MeshFigures.of(name, data);
            new BaselineStore(kafka.kafka(meshctl), kafka.topics().baselines()).save(baseline, kafka.timeout());
            var out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "baseline %s captured: %d edges, %d proxies, window %s%n", name,
                    baseline.getEdges().size(), baseline.getProxies().size(), window);
            out.flush();
            return 0;
        }
    }

    /** {@code meshctl baseline compare NAME}: exit 1 when a figure regressed. */
    @Command(name = "compare", description = "Print the baseline beside the same figures now, with deltas and regressions.")
    static final class Compare implements Callable<Integer> {
        @ParentCommand
        BaselineCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        KafkaOptions kafka;

        @Parameters(index = "0", description = "the baseline's name")
        String name;

        @Option(names = "--window", description = "how far back 'now' reaches (default: the baseline's window)")
        String window;

        @Override
        public Integer call() {
            var meshctl = parent.meshctl;
            var then = new BaselineStore(kafka.kafka(meshctl), kafka.topics().baselines()).find(name, kafka.timeout())
                    .orElseThrow(() -> new CliException("error: no baseline named " + name + " on "
                            + kafka.topics().baselines().name() + " (capture it with meshctl baseline capture " + name + ")"));
            var length = window != null ? KafkaOptions.window(window) : java.time.Duration.ofMillis(then.getWindowMillis());
            var data = new WindowReader(kafka.kafka(meshctl), kafka.topics(), Clock.systemUTC()).read(length, kafka.timeout());
            var regressions = new BaselineComparison(then, MeshFigures.of("now", data)).print(spec.commandLine().getOut());
            return regressions.isEmpty() ? 0 : 1;
        }
    }
}
