package io.meshlog.policy.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code meshctl describe KIND NAME}: the document, its recent history and which proxies applied it. */
@Command(name = "describe", description = "Show a policy, its history and the proxies enforcing it.")
final class DescribeCommand implements Callable<Integer> {
    @ParentCommand
    Meshctl meshctl;

    @Spec
    CommandSpec spec;

    @Mixin
    PolicyRef policy;

    @Override
    public Integer call() {
        var policyKind = policy.policyKind();
        var client = meshctl.client();
        var path = policy.path();
        var object = client.get(path).body();
        var out = spec.commandLine().getOut();
        Output.yaml(out, List.of(object));
        if (policyKind == io.meshlog.schemas.v1.PolicyKind.ExcludedWorkload) {
            Exclusions.describe(object, java.time.LocalDate.now(java.time.ZoneOffset.UTC), out);
        }
        var generation = object.getJsonObject("metadata").getLong("generation");
        var key = policyKind.name() + "/" + policy.namespace + "/" + policy.name;
        out.println();
        out.println("History:");
        var history = new Table("GENERATION", "TIME", "AUTHOR", "CHANGE");
        Output.items(client.get(path + "/history").body()).forEach(item -> history.row(item.getLong("generation"),
                item.getString("time"), item.getString("author"), HistoryCommand.summary(item)));
        history.print(out);
        out.println();
        out.println("Proxies:");
        var proxies = Output.items(client.get(ApiClient.BASE + "/proxies").body());
        if (proxies.isEmpty()) {
            out.println("  none known");
        } else {
            var table = new Table("PROXY", "WORKLOAD", "APPLIED", "STATE");
            for (var proxy : proxies) {
                var applied = proxy.getJsonObject("generations").getLong(key);
                table.row(proxy.getString("proxyId"), proxy.getString("namespace") + "/" + proxy.getString("workload"),
                        applied == null ? "-" : applied, applied != null && applied >= generation ? "current" : "behind");
            }
            table.print(out);
        }
        out.flush();
        return 0;
    }
}
