package io.meshlog.policy.cli;

import io.meshlog.policy.adoption.Assessment;
import io.meshlog.policy.adoption.AssessmentReport;
import io.meshlog.policy.adoption.WindowReader;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code meshctl assess [--window 1h] [-o text|json|markdown]}: does the mesh pay off here? */
@Command(name = "assess", description = "Count communicating services, paths, network incidents and sidecar cost; give a verdict.")
final class AssessCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format { text, json, markdown }

    @ParentCommand
    Meshctl meshctl;

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--window", defaultValue = "1h", description = "how far back, e.g. 1h or 10m")
    String window;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text, json or markdown")
    Format format;

    @Override
    public Integer call() {
        var data = new WindowReader(kafka.kafka(meshctl), kafka.topics(), Clock.systemUTC())
                .read(KafkaOptions.window(window), kafka.timeout());
        var assessment = Assessment.of(data);
        var out = spec.commandLine().getOut();
        switch (format) {
            case json -> AssessmentReport.json(assessment, out);
            case markdown -> AssessmentReport.markdown(assessment, out);
            default -> AssessmentReport.text(assessment, out);
        }
        return 0;
    }
}
