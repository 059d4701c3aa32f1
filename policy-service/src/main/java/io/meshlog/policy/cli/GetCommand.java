package io.meshlog.policy.cli;

import io.meshlog.policy.model.PolicyKinds;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code meshctl get KIND [NAME] [-n NS | -A] [-l a=b] [-o table|yaml|json]}. */
@Command(name = "get", description = "List policies of a kind, or show one.")
final class GetCommand implements Callable<Integer> {
    @ParentCommand
    Meshctl meshctl;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "kind, e.g. virtualservices")
    String kind;

    @Parameters(index = "1", arity = "0..1", description = "name")
    String name;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default")
    String namespace;

    @Option(names = {"-A", "--all-namespaces"})
    boolean allNamespaces;

    @Option(names = {"-l", "--selector"}, description = "label selector, e.g. app=reviews")
    String selector;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, yaml or json")
    Output.Format format;

    @Override
    public Integer call() {
        var policyKind = Kinds.parse(kind);
        var client = meshctl.client();
        var out = spec.commandLine().getOut();
        List<JsonObject> items;
        JsonObject raw;
        if (name != null) {
            raw = client.get(Kinds.path(namespace, policyKind, name)).body();
            items = List.of(raw);
        } else {
            var path = ApiClient.BASE + (allNamespaces ? "" : "/namespaces/" + ApiClient.encode(namespace)) + "/"
                    + PolicyKinds.plural(policyKind) + (selector == null ? "" : "?labelSelector=" + ApiClient.encode(selector));
            raw = client.get(path).body();
            items = Output.items(raw);
        }
        switch (format) {
            case json -> Output.json(out, raw);
            case yaml -> Output.yaml(out, items);
            default -> table(items, out);
        }
        return 0;
    }

    private void table(List<JsonObject> items, java.io.PrintWriter out) {
        if (items.isEmpty()) {
            out.println("No " + PolicyKinds.plural(Kinds.parse(kind)) + " found" + (allNamespaces ? "." : " in namespace " + namespace + "."));
            out.flush();
            return;
        }
        if (Kinds.parse(kind) == io.meshlog.schemas.v1.PolicyKind.ExcludedWorkload) {
            Exclusions.table(items, java.time.LocalDate.now(java.time.ZoneOffset.UTC), out);
            return;
        }
        var table = new Table("NAMESPACE", "NAME", "GENERATION", "AUTHOR", "UPDATED", "LABELS");
        for (var item : items) {
            var metadata = item.getJsonObject("metadata");
            var labels = metadata.getJsonObject("labels", new JsonObject());
            table.row(metadata.getString("namespace"), metadata.getString("name"), metadata.getLong("generation"),
                    metadata.getString("author"), metadata.getString("time"),
                    labels.isEmpty() ? "" : String.join(",", labels.fieldNames().stream().sorted()
                            .map(k -> k + "=" + labels.getString(k)).toList()));
        }
        table.print(out);
    }
}
