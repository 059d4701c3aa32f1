package io.meshlog.policy.cli;

import io.meshlog.policy.model.PolicyKinds;
import io.meshlog.policy.parse.DocumentParser;
import io.meshlog.policy.validate.Violation;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code meshctl apply -f FILE|DIR|-}: validate locally, then create or replace each document. */
@Command(name = "apply", description = "Create or replace policies from YAML/JSON files.")
final class ApplyCommand implements Callable<Integer> {
    @ParentCommand
    Meshctl meshctl;

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--filename"}, required = true, description = "file, directory or - for stdin")
    List<String> files;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "namespace of documents that name none")
    String namespace;

    @Option(names = "--dry-run", description = "validate on the server, publish nothing")
    boolean dryRun;

    @Option(names = "--wait", description = "wait until every known proxy has applied the new generations")
    boolean waitForProxies;

    @Option(names = "--timeout", defaultValue = "60s", description = "how long --wait waits, e.g. 30s")
    String timeout;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        var sources = new ArrayList<>(InputFiles.read(files, namespace, meshctl.stdin()));
        if (sources.isEmpty()) {
            throw new CliException("error: no documents found in " + String.join(", ", files), List.of(), 2);
        }
        if (!reportLocal(sources, err)) {
            return 1;
        }
        sources.sort(Comparator.comparingInt(s -> DocumentParser.applyOrder(s.parsed().document().kind())));
        var client = meshctl.client();
        var applied = new LinkedHashMap<String, Long>();
        var failed = 0;
        for (var source : sources) {
            var doc = source.parsed().document();
            var path = ApiClient.BASE + "/namespaces/" + ApiClient.encode(doc.namespace()) + "/"
                    + PolicyKinds.plural(doc.kind()) + "/" + ApiClient.encode(doc.name()) + (dryRun ? "?dryRun=true" : "");
            try {
                var answer = client.put(path, source.parsed().source(), "application/yaml").body();
                out.println(doc.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + doc.namespace() + "/" + doc.name()
                        + " " + answer.getString("result") + " (generation " + answer.getLong("generation") + ")"
                        + (dryRun ? " (dry run)" : ""));
                var warnings = answer.getJsonArray("warnings");
                for (int i = 0; warnings != null && i < warnings.size(); i++) {
                    var w = warnings.getJsonObject(i);
                    out.println(Violations.line(w.getString("path"), w.getInteger("line"), w.getString("message"),
                            "WARNING", source.parsed().line() - 1));
                }
                applied.put(answer.getString("policy"), answer.getLong("generation"));
            } catch (CliException e) {
                if (e.getMessage().startsWith("error: cannot reach")) {
                    throw e;
                }
                failed++;
                err.println(source.where() + " " + e.getMessage());
                e.details().forEach(d -> err.println(shift(d, source.parsed().line() - 1)));
            }
        }
        out.flush();
        if (failed > 0) {
            err.println("error: " + failed + " of " + sources.size() + " document(s) refused");
            return 1;
        }
        if (waitForProxies && !dryRun) {
            return new ProxyWait(client, parseTimeout()).await(applied, out, err) ? 0 : 1;
        }
        return 0;
    }

    private boolean reportLocal(List<InputFiles.Source> sources, PrintWriter err) {
        var ok = true;
        for (var source : sources) {
            var violations = InputFiles.check(source);
            var errors = violations.stream().filter(Violation::isError).toList();
            if (!errors.isEmpty()) {
                ok = false;
                err.println("error: " + source.file() + ": " + source.parsed().label() + " is invalid: "
                        + errors.size() + " violation(s)");
                errors.forEach(v -> err.println(Violations.line(v.path(), v.line(), v.message(), "ERROR", 0)));
            }
        }
        if (!ok) {
            err.println("error: nothing was applied");
        }
        return ok;
    }

    private static String shift(String detail, int offset) {
        var matcher = java.util.regex.Pattern.compile("line (\\d+) ").matcher(detail);
        return matcher.find() ? matcher.replaceFirst("line " + (Integer.parseInt(matcher.group(1)) + offset) + " ") : detail;
    }

    private Duration parseTimeout() {
        try {
            return Duration.ofMillis(io.meshlog.policy.model.Durations.parseMillis(timeout));
        } catch (IllegalArgumentException e) {
            throw new CliException("error: --timeout " + e.getMessage(), List.of(), 2);
        }
    }
}
