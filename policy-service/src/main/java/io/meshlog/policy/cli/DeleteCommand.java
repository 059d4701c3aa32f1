package io.meshlog.policy.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code meshctl delete KIND NAME}: publishes a tombstone. */
@Command(name = "delete", description = "Delete a policy (a tombstone on the policy topic).")
final class DeleteCommand implements Callable<Integer> {
    @ParentCommand
    Meshctl meshctl;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0")
    String kind;

    @Parameters(index = "1")
    String name;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default")
    String namespace;

    @Option(names = "--dry-run")
    boolean dryRun;

    @Override
    public Integer call() {
        var policyKind = Kinds.parse(kind);
        var answer = meshctl.client().delete(Kinds.path(namespace, policyKind, name) + (dryRun ? "?dryRun=true" : "")).body();
        spec.commandLine().getOut().println(policyKind.name().toLowerCase(java.util.Locale.ROOT) + " " + namespace + "/" + name
                + " deleted (was generation " + answer.getLong("generation") + ")" + (dryRun ? " (dry run)" : ""));
        return 0;
    }
}
