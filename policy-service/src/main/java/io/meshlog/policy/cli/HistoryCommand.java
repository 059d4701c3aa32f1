package io.meshlog.policy.cli;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code meshctl history KIND NAME}: every version still in the log. */
@Command(name = "history", description = "Show every version of a policy: who, when, what changed.")
final class HistoryCommand implements Callable<Integer> {
    @ParentCommand
    Meshctl meshctl;

    @Spec
    CommandSpec spec;

    @Mixin
    PolicyRef policy;

    @Option(names = {"-o", "--output"}, defaultValue = "table")
    Output.Format format;

    @Override
    public Integer call() {
        var answer = meshctl.client().get(policy.path() + "/history").body();
        var out = spec.commandLine().getOut();
        if (format == Output.Format.json) {
            Output.json(out, answer);
            return 0;
        }
        if (format == Output.Format.yaml) {
            Output.yaml(out, java.util.List.of(answer));
            return 0;
        }
        var table = new Table("GENERATION", "TIME", "AUTHOR", "CHANGE");
        for (var item : Output.items(answer)) {
            table.row(item.getLong("generation"), item.getString("time"), item.getString("author"), summary(item));
        }
        table.print(out);
        return 0;
    }

    static String summary(JsonObject item) {
        if (item.getBoolean("deleted", false)) {
            return "deleted";
        }
        var changes = item.getJsonArray("changes");
        var parts = new ArrayList<String>();
        for (int i = 0; i < changes.size() && i < 3; i++) {
            var c = changes.getJsonObject(i);
            parts.add(c.getString("path") + ": " + (c.getValue("from") == null ? "(none)" : c.getValue("from")) + " -> "
                    + (c.getValue("to") == null ? "(none)" : c.getValue("to")));
        }
        if (changes.size() > 3) {
            parts.add("and " + (changes.size() - 3) + " more");
        }
        return parts.isEmpty() ? "no change" : String.join("; ", parts);
    }
}
