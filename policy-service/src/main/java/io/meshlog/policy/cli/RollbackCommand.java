package io.meshlog.policy.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code meshctl rollback KIND NAME --to GENERATION}. */
@Command(name = "rollback", description = "Publish an older generation's spec again, as a new generation.")
final class RollbackCommand implements Callable<Integer> {
    @ParentCommand
    Meshctl meshctl;

    @Spec
    CommandSpec spec;

    @Mixin
    PolicyRef policy;

    @Option(names = "--to", required = true, description = "the generation to restore")
    long generation;

    @Option(names = "--dry-run")
    boolean dryRun;

    @Override
    public Integer call() {
        var policyKind = policy.policyKind();
        var answer = meshctl.client().post(policy.path() + "/rollback?to=" + generation
                + (dryRun ? "&dryRun=true" : "")).body();
        spec.commandLine().getOut().println(policy.display() + " rolled back to generation " + generation + " as generation " + answer.getLong("generation")
                + (dryRun ? " (dry run)" : ""));
        return 0;
    }
}
