package io.meshlog.policy.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code meshctl delete KIND NAME}: publishes a tombstone. */
@Command(name = "delete", description = "Delete a policy (a tombstone on the policy topic).")
final class DeleteCommand implements Callable<Integer> {
    @ParentCommand
    Meshctl meshctl;

    @Spec
    CommandSpec spec;

    @Mixin
    PolicyRef policy;

    @Option(names = "--dry-run")
    boolean dryRun;

    @Override
    public Integer call() {
        var policyKind = policy.policyKind();
        var answer = meshctl.client().delete(policy.path() + (dryRun ? "?dryRun=true" : "")).body();
        spec.commandLine().getOut().println(policy.display()
                + " deleted (was generation " + answer.getLong("generation") + ")" + (dryRun ? " (dry run)" : ""));
        return 0;
    }
}
