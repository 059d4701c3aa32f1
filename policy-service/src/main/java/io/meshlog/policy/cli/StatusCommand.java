package io.meshlog.policy.cli;

import java.util.ArrayList;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code meshctl status}: each proxy, what it applied and how far behind it is. */
@Command(name = "status", description = "Show every proxy, its applied generations and how far behind it is.")
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    Meshctl meshctl;

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, defaultValue = "table")
    Output.Format format;

    @Override
    public Integer call() {
        var answer = meshctl.client().get(ApiClient.BASE + "/proxies").body();
        var out = spec.commandLine().getOut();
        if (format == Output.Format.json) {
            Output.json(out, answer);
            return 0;
        }
        var proxies = Output.items(answer);
        if (proxies.isEmpty()) {
            out.println("No proxies have acknowledged any configuration yet.");
            out.flush();
            return 0;
        }
        var table = new Table("PROXY", "WORKLOAD", "APPLIED AT", "POLICIES", "BEHIND", "LAGGING", "REJECTED");
        for (var proxy : proxies) {
            var lagging = new ArrayList<String>();
            var list = proxy.getJsonArray("lagging");
            for (int i = 0; i < list.size(); i++) {
                var l = list.getJsonObject(i);
                lagging.add(l.getString("policy") + "@" + (l.getValue("applied") == null ? "-" : l.getValue("applied"))
                        + "/" + (l.getValue("current") == null ? "deleted" : l.getValue("current")));
            }
            table.row(proxy.getString("proxyId"), proxy.getString("namespace") + "/" + proxy.getString("workload"),
                    proxy.getString("appliedAt"), proxy.getJsonObject("generations").size(), proxy.getInteger("behind"),
                    lagging.isEmpty() ? "-" : String.join(",", lagging), proxy.getJsonArray("rejected").size());
        }
        table.print(out);
        return 0;
    }
}
